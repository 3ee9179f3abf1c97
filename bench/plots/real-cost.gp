# Real processes: CPU and RSS per member against N.
set terminal pngcairo size 1100,480 font "DejaVu Sans,10"
set output out
set multiplot layout 1,2 title "loopback, one process per member: cost per member (background, no faults)"
set logscale x 2
set xtics (4, 8, 16, 32, 64)
set offsets graph 0.05, graph 0.05, 0, 0
set xlabel "members (N)"
set grid
set key top left
r = dir.'/real-rumor.dat'; t = dir.'/real-rumor-lean.dat'; m = dir.'/real-memberlist.dat'
set title "CPU (% of one core, mean over members; shared machine)"
set ylabel "CPU %"
set yrange [0:*]
plot r u 1:7 w lp lw 2 lc 1 pt 7 t "rumor", \
     t u 1:7 w lp lw 2 lc 3 pt 5 t "rumor-lean", \
     m u 1:7 w lp lw 2 lc 7 pt 9 t "memberlist"
set title "resident memory (median VmRSS)"
set ylabel "MiB"
plot r u 1:8 w lp lw 2 lc 1 pt 7 t "rumor", \
     t u 1:8 w lp lw 2 lc 3 pt 5 t "rumor-lean", \
     m u 1:8 w lp lw 2 lc 7 pt 9 t "memberlist"
unset multiplot
