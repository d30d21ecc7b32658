# Writes OUT, a C++ file defining nldb::gen::GenData() over every DIR/*.json.
# Run by the build (see CMakeLists.txt) whenever one of them changes.
file(GLOB files "${DIR}/*.json")
set(body "")
foreach(file ${files})
  get_filename_component(name "${file}" NAME_WE)
  file(READ "${file}" content)
  string(APPEND body "  if (name == \"${name}\") return R\"nldbjson(${content})nldbjson\";\n")
endforeach()
file(WRITE "${OUT}" "// Generated from data/gen by src/gen/embed_data.cmake. Do not edit.
#include \"gen/gen_data.h\"

namespace nldb::gen {

std::string_view GenData(std::string_view name) {
${body}  return {};
}

}  // namespace nldb::gen
")
