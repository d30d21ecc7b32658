#include "storage/writer_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace nldb::storage {

namespace {
std::string ReadHolder(int fd) {
  char buf[512];
  ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
  if (n <= 0) return "another process";
  std::string s(buf, static_cast<size_t>(n));
  while (!s.empty() && (s.back() == '\n' || s.back() == '\0')) s.pop_back();
  return s.empty() ? "another process" : s;
}
}  // namespace

Result<std::unique_ptr<WriterLock>> WriterLock::Acquire(const std::string& dir,
                                                        const std::string& label) {
  const std::string path = dir + "/LOCK";
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    std::string holder = ReadHolder(fd);
    close(fd);
    if (err == EWOULDBLOCK) {
      return Status::Busy("the store " + dir + " is being written by " + holder +
                          "; try again when it has finished");
    }
    return Status::IOError("cannot lock " + path + ": " + std::strerror(err));
  }
  std::string who = "pid " + std::to_string(getpid()) + (label.empty() ? "" : " (" + label + ")");
  // Naming the holder is best effort: the lock is held either way.
  if (ftruncate(fd, 0) == 0) {
    ssize_t written = pwrite(fd, who.data(), who.size(), 0);
    (void)written;
  }
  return std::unique_ptr<WriterLock>(new WriterLock(fd));
}

WriterLock::~WriterLock() { close(fd_); }

}  // namespace nldb::storage
