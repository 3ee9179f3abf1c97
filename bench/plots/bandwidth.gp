# Bytes sent per member per second against N: simulator and real.
set terminal pngcairo size 900,540 font "DejaVu Sans,10"
set output out
set title "UDP payload bytes sent per member per second (steady state, no faults)"
set logscale xy
set xlabel "members (N)"
set ylabel "bytes/s per member"
set xtics (4, 8, 16, 32, 64, 100, 200, 500, 1000)
set grid
set key center right
load dir.'/fits.gp'
s = dir.'/sim-bw.dat'; r = dir.'/real-rumor.dat'; t = dir.'/real-rumor-lean.dat'; m = dir.'/real-memberlist.dat'
set yrange [50:20000]
plot s u 1:2 w lp lw 2 lc 2 pt 6 t "rumor, simulator (short ids)", \
     bestfit(x) w l lw 1 dt 3 lc 2 t bestlabel, \
     r u 1:6 w lp lw 2 lc 1 pt 7 t "rumor, loopback", \
     t u 1:6 w lp lw 2 lc 3 pt 5 t "rumor-lean, loopback", \
     m u 1:6 w lp lw 2 lc 7 pt 9 t "memberlist, loopback"
