# The frontier: detection by all (p50) and false failures at 30% receive
# drop against bytes/s per member (UDP + TCP payload, counted outside the
# process), N=32, every setting of rumor and memberlist in one run.
set terminal pngcairo size 900,800 font "DejaVu Sans,10"
set output out
r = dir.'/frontier-rumor.dat'; m = dir.'/frontier-memberlist.dat'
set multiplot layout 2,1
set logscale xy
set grid
set xlabel "bytes/s per member (UDP + TCP payload, kernel count)"
set ylabel "crash detected by all, p50 (s)"
set title "Detection against cost, N=32 (lower left is better)"
set key top right
plot r u 1:2 w lp lw 2 lc 1 pt 7 t "rumor", \
     r u 1:2:4 w labels offset 0,1 font ",8" notitle, \
     m u 1:2 w lp lw 2 lc 7 pt 9 t "memberlist", \
     m u 1:2:4 w labels offset 0,-1 font ",8" notitle
unset logscale y
set ylabel "falsely failed members per member-hour"
set title "False failures at 30% receive drop"
set yrange [0:*]
plot r u 1:3 w lp lw 2 lc 1 pt 7 t "rumor", \
     m u 1:3 w lp lw 2 lc 7 pt 9 t "memberlist"
unset multiplot
