# Summarises `go test -bench -benchmem` output (make bench): the median
# of each benchmark's runs, and its ratio to the bare handler of the same
# run (BenchmarkBaseline; BenchmarkLoopbackBaseline for the loopback ones;
# BenchmarkProxyUpstream and BenchmarkProxySlowUpstream for the proxy's;
# for a name ending in 31, an OpenAPI 3.1 document, the same name ending in
# 30, its 3.0 twin; none for the other spec benchmarks), by wall time and
# by process CPU time.
function median(list,    n, a, i, j, t) {
	n = split(list, a, " ")
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
	return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
/^Benchmark/ {
	name = $1; sub(/-[0-9]+$/, "", name); sub(/^Benchmark/, "", name)
	if (!(name in seen)) { order[++count] = name; seen[name] = 1 }
	for (i = 3; i < NF; i++) {
		if ($(i+1) == "ns/op") ns[name] = ns[name] " " $i
		if ($(i+1) == "cpu-ns/op") cpu[name] = cpu[name] " " $i
		if ($(i+1) == "allocs/op") allocs[name] = allocs[name] " " $i
		if ($(i+1) == "B/op") bytes[name] = bytes[name] " " $i
	}
}
END {
	printf "%-24s %12s %8s %12s %8s %9s %9s\n", "benchmark (median)", "ns/op", "x base", "cpu-ns/op", "x base", "allocs/op", "B/op"
	for (k = 1; k <= count; k++) {
		b = order[k]; base = (b ~ /31$/) ? substr(b, 1, length(b) - 2) "30" : (b ~ /^(SpecLoad|CheckRequest)/) ? "" : (b ~ /^Loopback/) ? "LoopbackBaseline" : (b ~ /^ProxySlow/) ? "ProxySlowUpstream" : (b ~ /^Proxy/) ? "ProxyUpstream" : "Baseline"
		w = median(ns[b]); c = (b in cpu) ? median(cpu[b]) : 0
		bw = (base in ns) ? median(ns[base]) : 0; bc = (base in cpu) ? median(cpu[base]) : 0
		printf "%-24s %12.0f %8s %12.0f %8s %9.0f %9.0f\n", b, w, bw ? sprintf("%.2f", w / bw) : "-", c, bc && c ? sprintf("%.2f", c / bc) : "-", median(allocs[b]), median(bytes[b])
	}
}
