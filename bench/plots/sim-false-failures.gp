# Simulator soak: false failures per member-hour against datagram loss.
set terminal pngcairo size 800,480 font "DejaVu Sans,10"
set output out
set title "rumor sim: false failures per member-hour (soak, no faults)"
set xlabel "datagram loss (%)"
set ylabel "falsely failed members per member-hour"
set xrange [-1:31]
set yrange [0:*]
set grid
set key top left
files = system('ls '.dir.'/sim-soak-*.dat 2>/dev/null')
plot for [i=1:words(files)] word(files,i) u 1:2 w lp lw 2 pt 7 \
     t sprintf("N=%s", system('basename '.word(files,i).' .dat | cut -d- -f3'))
