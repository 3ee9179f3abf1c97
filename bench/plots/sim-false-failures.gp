# Simulator soak: false failures per member-hour against datagram loss.
set terminal pngcairo size 800,480 font "DejaVu Sans,10"
set output out
set xlabel "datagram loss (%)"
set ylabel "falsely failed members per member-hour"
set xrange [-1:31]
set yrange [0:*]
set grid
set key top left
set title "rumor sim: false failures per member-hour (soak: no faults; churn: the detection runs)"
soak = system('ls '.dir.'/sim-soak-*.dat 2>/dev/null')
churn = system('ls '.dir.'/sim-churn-*.dat 2>/dev/null')
name(f) = system('basename '.f.' .dat | cut -d- -f3')
plot for [i=1:words(soak)] word(soak,i) u 1:2 w lp lw 2 pt 7 lc i \
       t sprintf("soak, N=%s", name(word(soak,i))), \
     for [i=1:words(churn)] word(churn,i) u 1:2 w lp lw 2 dt 2 pt 4 lc i+3 \
       t sprintf("crash/restart every 4 s, N=%s", name(word(churn,i)))
