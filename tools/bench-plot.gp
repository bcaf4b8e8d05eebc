# tools/bench-plot.gp: the plot of make bench (tools/bench.sh runs it).
# Variables, given with gnuplot -e:
#   dir     where the data files are: DIR/plot-RUN.dat, one per run, columns
#           size_mib (0 drawn at 0.25) fork_exit_wait fork_write_all
#           fork_execve vfork_execve posix_spawn frames_per_fork
#   runs    the runs, e.g. "bunshin-cow bunshin-copy bunshin-odf linux linux-thp"
#   titles  their legends, quoted words: "\"bunshin cow\" \"Linux 4K\""
#   out     the PNG to write
#   mode    icount or tcg (for the title)
set terminal pngcairo size 1500,950 font "sans,10"
set output out
set logscale xy
set xrange [0.18:360]
set xtics ("0" 0.25, "1" 1, "4" 4, "16" 16, "64" 64, "256" 256)
set format y "10^{%T}"
set grid xtics ytics mytics lc rgb "#dddddd"
set key top left box opaque samplen 2
set xlabel "parent size (MiB of written anonymous memory)"
set pointsize 1.1
# Room above and below, so that a flat line is not drawn on the frame.
set offsets 0, 0, graph 0.08, graph 0.08

cyc = (mode eq "icount") ? "cycles (= guest instructions, -icount shift=0)" : "rdtsc cycles (plain TCG)"
names = "fork_exit_wait fork_write_all fork_execve vfork_execve posix_spawn frames_per_fork"
heads = "\"fork + exit + wait\" \"fork, the child writes every page\" \"fork + execve (nop) + wait\" \"vfork + execve (nop) + wait\" \"posix\\_spawn (nop) + wait\" \"frames one fork takes\""

set multiplot layout 2,3 title "bunshin and Linux: process creation against parent size (medians, log-log)" font "sans,13"
do for [p=1:6] {
    set title word(heads, p)
    if (p == 6) { set ylabel "4 KiB frames"; set format y "%g" } else { set ylabel cyc; set format y "10^{%T}" }
    plot for [i=1:words(runs)] dir.'/plot-'.word(runs, i).'.dat' \
        using 1:(column(p + 1)) with linespoints lw 2 pt (4 + 2 * i) title word(titles, i)
}
unset multiplot
