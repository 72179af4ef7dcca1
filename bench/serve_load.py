"""A bounded load test of `kehoach serve` on loopback: N requests at once,
spread over the given paths; prints whether all were answered with 200, the
total time and the p50 and p99 latency.

Usage: kehoach --plan PLAN serve --port 0 &   # prints the URL
       python3 bench/serve_load.py URL 200 / /api/report /due /agency/CODE /task/ID
"""
import sys, time, threading, urllib.request
url = sys.argv[1]; n = int(sys.argv[2]); paths = sys.argv[3:]
times = []; codes = []
lock = threading.Lock()
def one(i):
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(url + paths[i % len(paths)], timeout=120) as r:
            r.read(); c = r.status
    except Exception as e:
        c = str(e)
    d = time.perf_counter() - t
    with lock:
        times.append(d); codes.append(c)
start = time.perf_counter()
ts = [threading.Thread(target=one, args=(i,)) for i in range(n)]
[t.start() for t in ts]; [t.join() for t in ts]
total = time.perf_counter() - start
times.sort()
print(f"{n} concurrent: all 200? {all(c == 200 for c in codes)}; total {total:.2f} s; p50 {times[n//2]*1000:.0f} ms; p99 {times[int(n*0.99)-1]*1000:.0f} ms")
