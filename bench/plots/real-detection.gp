# Real processes: detection against N for rumor, rumor-lean, memberlist.
set terminal pngcairo size 1100,480 font "DejaVu Sans,10"
set output out
set multiplot layout 1,2 title "loopback, one process per member: crash detection (p50, bar to p99; log scale)"
set logscale x 2
set xtics (4, 8, 16, 32, 64)
set offsets graph 0.05, graph 0.05, 0, 0
set xlabel "members (N)"
set ylabel "seconds after SIGKILL"
set logscale y
set yrange [0.5:*]
set ytics (0.5, 1, 2, 5, 10, 20, 50, 100)
set grid
set key top left
r = dir.'/real-rumor.dat'; t = dir.'/real-rumor-lean.dat'; m = dir.'/real-memberlist.dat'
set title "first member to declare it failed"
plot r u 1:2:2:3 w yerrorlines lw 2 lc 1 pt 7 t "rumor", \
     t u 1:2:2:3 w yerrorlines lw 2 lc 3 pt 5 t "rumor-lean", \
     m u 1:2:2:3 w yerrorlines lw 2 lc 7 pt 9 t "memberlist"
set title "every survivor has declared it failed"
plot r u 1:4:4:5 w yerrorlines lw 2 lc 1 pt 7 t "rumor", \
     t u 1:4:4:5 w yerrorlines lw 2 lc 3 pt 5 t "rumor-lean", \
     m u 1:4:4:5 w yerrorlines lw 2 lc 7 pt 9 t "memberlist"
unset multiplot
