set terminal pngcairo size 1100,450
set output 'bench/reports/query.png'
set multiplot layout 1,2
set logscale x
set xlabel 'facts'
set grid
set key top left
set ylabel 'ms'
set logscale y
set title 'question latency'
plot 'bench/reports/query.dat' using 1:2 with linespoints title 'p50', '' using 1:3 with linespoints title 'p99', '' using 1:4 with linespoints title 'retrieve p50', '' using 1:5 with linespoints title 'reader p50'
set ylabel 'MB'
unset logscale y
set yrange [0:*]
set title 'resident memory while serving'
plot 'bench/reports/query.dat' using 1:6 with linespoints title 'RSS'
unset multiplot
