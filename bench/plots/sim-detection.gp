# Simulator: detection latency against N, one colour per loss.
# gnuplot -e "dir='DATA'; out='PNG'" sim-detection.gp
set terminal pngcairo size 1100,480 font "DejaVu Sans,10"
set output out
set multiplot layout 1,2 title "rumor sim: crash detection latency (p50 solid, p99 dashed)"
set logscale x
set xtics (16, 32, 64, 100, 200, 500, 1000)
set xlabel "members (N)"
set ylabel "seconds after the crash"
set yrange [0:*]
set grid
set key top left
f0 = dir.'/sim-detect-0.dat'; f10 = dir.'/sim-detect-10.dat'; f30 = dir.'/sim-detect-30.dat'
set title "first member to declare it failed"
plot f0 u 1:2 w lp lw 2 lc 1 pt 7 t "0% loss", \
     f0 u 1:3 w lp lw 1 dt 2 lc 1 pt 7 notitle, \
     f10 u 1:2 w lp lw 2 lc 2 pt 5 t "10% loss", \
     f10 u 1:3 w lp lw 1 dt 2 lc 2 pt 5 notitle, \
     f30 u 1:2 w lp lw 2 lc 7 pt 9 t "30% loss", \
     f30 u 1:3 w lp lw 1 dt 2 lc 7 pt 9 notitle
set title "every survivor has declared it failed"
plot f0 u 1:4 w lp lw 2 lc 1 pt 7 t "0% loss", \
     f0 u 1:5 w lp lw 1 dt 2 lc 1 pt 7 notitle, \
     f10 u 1:4 w lp lw 2 lc 2 pt 5 t "10% loss", \
     f10 u 1:5 w lp lw 1 dt 2 lc 2 pt 5 notitle, \
     f30 u 1:4 w lp lw 2 lc 7 pt 9 t "30% loss", \
     f30 u 1:5 w lp lw 1 dt 2 lc 7 pt 9 notitle
unset multiplot
