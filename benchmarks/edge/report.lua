-- wrk script for benchmarks/edge.sh: exact totals (wrk's own Transfer/sec is rounded to 2 decimals of GB).
done = function(summary, latency, requests)
  io.write(string.format("total_bytes %d\ntotal_requests %d\ntotal_us %d\n", summary.bytes, summary.requests, summary.duration))
end
