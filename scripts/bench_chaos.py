"""The --chaos and --scale runs of scripts/bench (docs/BENCH.md).

chaos: the city served by serve-city on PORT, and hostile sites of
  scripts/bench-chaos-server on PORT+1 (127.77.0.N, traps on 127.0.0.1 and
  127.200.0.1) as 20% of the schools.  Two crawls + audits: the city alone,
  then the city with the hostile schools.  Prints every hostile school with
  its reason from the store, the healthy schools' verdicts that differ from
  the run without chaos, peak RSS, the extra wall time against the per-site
  budget, and connections the traps saw.
scale: the city (gen-city, few articles a site) replicated to each size of
  --scale-sizes: copy k of school i serves the same files under its own
  host name and 127.1.X.Y address (symlinks), so every size has the same
  sites and only their number changes.  A size one nginx cannot listen for
  (above PART_MAX, or the descriptor limit) is served in parts, one
  serve-city each on PORT, PORT+1, ..., their school lists and hosts files
  merged.  One focused crawl + audit per size, over all its schools; prints
  peak RSS and time per school, and their ratios to the smallest size.
Servers are stopped on every exit (finally, SIGTERM and SIGINT included).
"""
import csv, os, shutil, signal, sqlite3, subprocess, sys, tempfile, time

# crawler/crawl.h: CRAWL_OPTIONS_INIT's site_budget_s (no option sets it).
SITE_BUDGET_S = 600
# --scale: schools one serve-city nginx serves at most (part_cap).
PART_MAX = 9000
CHAOS_SHARE = 0.20
# Marks a replica made with today's ids (copy K: "RKK-" prefix); older
# replicas (a "-KK" suffix) are made again.
REPLICA_MARK = "replica-ids-prefix"
ALLOW = ["--allow-addr", "127.1.0.0/16", "--allow-addr", "127.77.0.0/16"]


def on_signal(sig, frame):
    raise SystemExit(128 + sig)


def main(a, city, bench):
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    work = tempfile.mkdtemp(prefix="pa-bench-chaos-" if a.chaos else "pa-bench-scale-")
    res = {"city": city, "work": work}
    try:
        if a.chaos:
            chaos(a, city, work, bench, res)
        else:
            scale(a, city, work, bench, res)
    finally:
        with open(a.json or os.path.join(work, "bench.json"), "w") as f:
            import json
            json.dump(res, f, indent=1)
        print(f"\nbench: results in {a.json or os.path.join(work, 'bench.json')}; logs in {work}")


def serve(bench, city, port):
    stop(bench, city)
    bench.sh([os.path.join(bench.BENCH, "serve-city"), city, str(port)], stdout=subprocess.DEVNULL)


def stop(bench, city):
    subprocess.run([os.path.join(bench.BENCH, "stop-city"), city], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def timed_limit(cmd, log, limit_s):
    """bench.timed with a wall limit: the command is killed (TERM, then
    KILL) once it runs longer than limit_s; rc is then 'killed'."""
    tfile = log + ".time"
    t0 = time.monotonic()
    with open(log, "w") as lf:
        p = subprocess.Popen(["/usr/bin/time", "-v", "-o", tfile] + cmd, stdout=lf, stderr=subprocess.STDOUT)
        try:
            rc = p.wait(timeout=limit_s)
        except subprocess.TimeoutExpired:
            p.terminate()
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            rc = "killed"
    wall = time.monotonic() - t0
    txt = open(tfile).read() if os.path.exists(tfile) else ""
    import re
    g = lambda pat: float(re.search(pat, txt).group(1)) if re.search(pat, txt) else 0.0
    return {"wall_s": wall, "user_s": g(r"User time \(seconds\): ([\d.]+)"), "sys_s": g(r"System time \(seconds\): ([\d.]+)"),
            "rss_mb": g(r"Maximum resident set size \(kbytes\): (\d+)") / 1024, "rc": rc}


def summary(log):
    for line in open(log, errors="replace"):
        if line.startswith("crawl: "):
            return line.strip()
    return "(no summary line)"


def verdicts(db):
    c = sqlite3.connect(db)
    run = c.execute("SELECT MAX(id) FROM runs WHERE kind='audit' AND state='done'").fetchone()[0]
    got = {(s, i): v for s, i, v in c.execute("SELECT school_id, item, verdict FROM findings WHERE run_id=?", (run,))}
    c.close()
    return got


# ---------------------------------------------------------------- chaos

def chaos(a, city, work, bench, res):
    port, cport = a.port, a.port + 1
    crawl = ["crawl", "--delay", "0", "--quiet", "--period", "2017-2018"] + ALLOW
    audit = ["audit", "--period", "2017-2018", "--as-of", "2018-05-15", "--quiet"]
    schools = os.path.join(city, f"schools.{port}.csv")
    server = None
    try:
        serve(bench, city, port)
        with open(schools, newline="", encoding="utf-8-sig") as f:
            n_city = sum(1 for _ in csv.DictReader(f))
        # hostile / (city + hostile) = 20%
        n_chaos = max(1, round(n_city * CHAOS_SHARE / (1 - CHAOS_SHARE)))
        cdir = os.path.join(work, "chaos")
        print(f"bench: chaos server: {n_chaos} hostile schools beside {n_city} on 127.77.0.x:{cport}", flush=True)
        server = subprocess.Popen([sys.executable, os.path.join(bench.ROOT, "scripts", "bench-chaos-server"),
                                   "--dir", cdir, "--count", str(n_chaos), "--port", str(cport)],
                                  stdout=open(os.path.join(work, "chaos-server.log"), "w"), stderr=subprocess.STDOUT)
        for _ in range(600):
            if os.path.exists(os.path.join(cdir, "ready")) or server.poll() is not None:
                break
            time.sleep(0.2)
        if not os.path.exists(os.path.join(cdir, "ready")):
            raise SystemExit("bench: the chaos server did not start: " + open(os.path.join(work, "chaos-server.log")).read())

        print("bench: crawl + audit of the city alone", flush=True)
        base = os.path.join(work, "base.db")
        bench.sh([bench.BIN, "--db", base, "schools", "import", schools], stdout=subprocess.DEVNULL)
        bc = bench.pa(base, *crawl, "--hosts-file", os.path.join(city, "hosts"), log=os.path.join(work, "base-crawl.log"))
        ba = bench.pa(base, *audit, log=os.path.join(work, "base-audit.log"))

        print("bench: crawl + audit of the city with the hostile schools", flush=True)
        hosts = os.path.join(work, "hosts")
        with open(hosts, "w") as f:
            f.write(open(os.path.join(city, "hosts")).read() + open(os.path.join(cdir, "chaos-hosts")).read())
        resolve = []
        for line in open(os.path.join(cdir, "chaos-resolve")):
            resolve += ["--resolve", line.strip()]
        db = os.path.join(work, "chaos.db")
        bench.sh([bench.BIN, "--db", db, "schools", "import", schools], stdout=subprocess.DEVNULL)
        bench.sh([bench.BIN, "--db", db, "schools", "import", os.path.join(cdir, "chaos-schools.csv")],
                 stdout=subprocess.DEVNULL)
        # The run must finish: a crawl still going after twice the per-site
        # budget past the baseline is stopped and reported as such.
        limit = bc["wall_s"] + 2 * SITE_BUDGET_S
        cc = timed_limit([bench.BIN, "--db", db] + crawl + ["--hosts-file", hosts] + resolve,
                         os.path.join(work, "chaos-crawl.log"), limit)
        ca = bench.pa(db, *audit, log=os.path.join(work, "chaos-audit.log")) if cc["rc"] != "killed" else None
        res.update(base_crawl=bc, base_audit=ba, chaos_crawl=cc, chaos_audit=ca,
                   base_summary=summary(os.path.join(work, "base-crawl.log")),
                   chaos_summary=summary(os.path.join(work, "chaos-crawl.log")))
        chaos_report(res, base, db, cdir, n_city, n_chaos)
    finally:
        if server and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        stop(bench, city)


def chaos_report(res, base, db, cdir, n_city, n_chaos):
    sites = {}
    with open(os.path.join(cdir, "chaos-sites.tsv"), encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            sites[r["school_id"]] = r
    c = sqlite3.connect(db)
    run = c.execute("SELECT MAX(id) FROM runs WHERE kind='crawl'").fetchone()[0]
    rows = []
    for sid, r in sites.items():
        st = c.execute("SELECT state, reachable, reason, pages, errors FROM sites WHERE run_id=? AND school_id=?",
                       (run, sid)).fetchone() or ("absent", None, None, 0, 0)
        span = c.execute("SELECT (MAX(fetched_at + fetch_ms) - MIN(fetched_at)) / 1000.0 FROM pages"
                         " WHERE run_id=? AND school_id=? AND fetched_at > 0", (run, sid)).fetchone()[0]
        err = c.execute("SELECT COALESCE(error, 'http ' || status), COUNT(*) n FROM pages WHERE run_id=? AND school_id=?"
                        " AND (error IS NOT NULL OR status >= 400) GROUP BY 1 ORDER BY n DESC LIMIT 1",
                        (run, sid)).fetchone()
        rows.append({"school": sid, "mode": r["mode"], "state": st[0], "reachable": st[1], "reason": st[2],
                     "pages": st[3], "errors": st[4], "span_s": span, "top_error": f"{err[0]} ×{err[1]}" if err else ""})
    c.close()
    res["hostile"] = rows
    bv, cv = verdicts(base), verdicts(db)
    city_keys = [k for k in bv if not k[0].startswith("79-CHAOS-")]
    diffs = [(k, bv[k], cv.get(k, "absent")) for k in sorted(city_keys) if cv.get(k, "absent") != bv[k]]
    res["healthy_rows"], res["healthy_diffs"] = len(city_keys), [list(d) for d in diffs]
    traps = open(os.path.join(cdir, "trap.log")).read().splitlines()
    res["trap_connections"] = traps

    print(f"\n### Hostile schools ({n_chaos} of {n_city + n_chaos} = {100 * n_chaos / (n_city + n_chaos):.0f}%)\n")
    print("| school | mode | reachable | reason (sites.reason) | pages | errors | first to last request s | most frequent page error |")
    print("| --- | --- | :---: | --- | ---: | ---: | ---: | --- |")
    no_reason = 0
    for r in rows:
        reach = {1: "yes", 0: "no"}.get(r["reachable"], r["state"])
        if r["reachable"] == 0 and not r["reason"]:
            no_reason += 1
        span = f"{r['span_s']:.1f}" if r["span_s"] is not None else "—"
        print(f"| {r['school']} | {r['mode']} | {reach} | {r['reason'] or '—'} | {r['pages']} | {r['errors']} | {span} | {r['top_error'] or '—'} |")
    bc, cc, ca = res["base_crawl"], res["chaos_crawl"], res["chaos_audit"]
    finished = cc["rc"] != "killed"
    extra = cc["wall_s"] - bc["wall_s"]
    peak = max(cc["rss_mb"], ca["rss_mb"] if ca else 0)
    print("\n| measure | value | target | met |")
    print("| --- | --- | --- | --- |")
    line = lambda m, v, t, ok: print(f"| {m} | {v} | {t} | {'yes' if ok else 'NO'} |")
    line("chaos crawl finished", f"exit {cc['rc']}: {res['chaos_summary']}", "finishes", finished)
    line("hostile schools unreachable without a reason", f"{no_reason} of {len(rows)}", "0", no_reason == 0)
    if finished:
        line("healthy verdicts differing from the run without chaos",
             f"{len(diffs)} of {len(city_keys)}" + (f" (first: {diffs[0]})" if diffs else ""), "0", not diffs)
    line("peak RSS, chaos crawl / audit", f"{cc['rss_mb']:.0f} MB / {ca['rss_mb'] if ca else 0:.0f} MB", "≤ 256 MB", peak <= 256)
    line("crawl wall, without / with chaos", f"{bc['wall_s']:.1f} s / {cc['wall_s']:.1f} s", "—", True)
    line("extra wall time vs per-site budget", f"{extra:.1f} s vs {SITE_BUDGET_S} s = {extra / SITE_BUDGET_S:.2f}×",
         "≤ 1×", extra <= SITE_BUDGET_S)
    line("connections to trap addresses (guard)", f"{len(traps)}", "0", not traps)
    line("audit wall, without / with chaos", f"{res['base_audit']['wall_s']:.1f} s / {ca['wall_s'] if ca else 0:.1f} s", "—", True)


# ---------------------------------------------------------------- scale

def replicate(base, n, out, lo=0, hi=None):
    """A city of schools lo..hi-1 (hi = n by default) of the n-school
    replica made of copies of base's schools (see the module comment).
    School j has the same id, host name and address in every part it can
    be in, so the parts of a split city together are the unsplit one.
    Kept in out and reused when it is there already."""
    hi = n if hi is None else hi
    if os.path.exists(os.path.join(out, "manifest.json")) and os.path.exists(os.path.join(out, REPLICA_MARK)):
        return
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "www"))
    addr_of = dict(reversed(l.split()) for l in open(os.path.join(base, "hosts")) if l.strip())
    host_addr = {h: a for a, h in addr_of.items()}
    maps = {}
    for m in ("redirects.map", "charsets.map", "soft404.map", "parked.map"):
        maps[m] = {}
        for l in open(os.path.join(base, m)):
            if l.strip():
                k, v = l.split(None, 1)
                maps[m][k] = v
    with open(os.path.join(base, "schools.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    outmaps = {m: open(os.path.join(out, m), "w") for m in maps}
    with open(os.path.join(out, "schools.csv"), "w", newline="", encoding="utf-8") as sf, \
            open(os.path.join(out, "hosts"), "w") as hf:
        w = csv.DictWriter(sf, fieldnames=list(rows[0].keys()))
        w.writeheader()
        for j in range(lo, hi):
            k, r = divmod(j, len(rows))
            r = dict(rows[r])
            # Copy k's ids sort after copy k-1's: the crawl takes sites in id
            # order, so at every size its open sites are distinct schools in
            # the original city's order, not K copies of one school side by side.
            r["school_id"] = f"R{k:02d}-{r['school_id']}" if k else r["school_id"]
            url = r["portal_url"]
            if url:
                host = url.split("//", 1)[1].split(":", 1)[0]
                src = host_addr[host]
                addr = f"127.1.{j // 250}.{1 + j % 250}"
                nhost = f"c{k}-{host}" if k else host
                r["portal_url"] = url.replace(host, nhost, 1)
                os.symlink(os.path.join(os.path.abspath(base), "www", src), os.path.join(out, "www", addr))
                hf.write(f"{nhost} {addr}\n")
                for m, d in maps.items():
                    if src in d:
                        outmaps[m].write(f"{addr} {d[src]}")
            w.writerow(r)
    for f in outmaps.values():
        f.close()
    shutil.copy(os.path.join(base, "manifest.json"), os.path.join(out, "manifest.json"))
    open(os.path.join(out, REPLICA_MARK), "w").close()


def part_cap():
    """The most schools one serve-city nginx can listen for here: it needs
    a descriptor per listener (schools + 127.0.0.1), 8192 connections, 512
    spare and an open-file cache of at least 100 within min(ulimit -Hn,
    65536), and the hard limit cannot be raised.  At most PART_MAX so the
    split is the same on every machine with room for it."""
    import resource
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    nofile = 65536 if hard == resource.RLIM_INFINITY else min(hard, 65536)
    return min(PART_MAX, nofile - 1 - 8192 - 512 - 100)


def split(n, cap):
    """[lo, hi) ranges of at most cap schools, as even as they can be."""
    parts = -(-n // cap)
    size = -(-n // parts)
    return [(lo, min(n, lo + size)) for lo in range(0, n, size)]


def serve_parts(a, city, n, work, bench, served):
    """Replicates and serves the n-school city: one serve-city when it
    fits one nginx, else CITY-xN-pK/part-I (I = 0..K-1) on ports PORT+I.
    Appends every served directory to served (stopped by the caller).
    Returns the school CSV and hosts file of the whole city: the parts'
    merged (their portal URLs carry each part's port) when split."""
    cap = part_cap()
    if cap < 1:
        raise SystemExit("bench: --scale: the descriptor limit (ulimit -Hn) is too low for serve-city")
    ranges = split(n, cap)
    if len(ranges) == 1:
        out = f"{city}-x{n}"
        print(f"bench: scale: {n} schools ({out}, port {a.port})", flush=True)
        replicate(city, n, out)
        served.append(out)
        serve(bench, out, a.port)
        return os.path.join(out, f"schools.{a.port}.csv"), os.path.join(out, "hosts")
    top = f"{city}-x{n}-p{len(ranges)}"
    print(f"bench: scale: {n} schools in {len(ranges)} parts of at most {cap} ({top}/part-I,"
          f" ports {a.port}-{a.port + len(ranges) - 1})", flush=True)
    csvs, hosts = [], []
    for i, (lo, hi) in enumerate(ranges):
        out = os.path.join(top, f"part-{i}")
        replicate(city, n, out, lo, hi)
        served.append(out)
        serve(bench, out, a.port + i)
        csvs.append(os.path.join(out, f"schools.{a.port + i}.csv"))
        hosts.append(os.path.join(out, "hosts"))
    mcsv, mhosts = os.path.join(work, f"schools-{n}.csv"), os.path.join(work, f"hosts-{n}")
    with open(mcsv, "w", encoding="utf-8") as f:
        for i, p in enumerate(csvs):
            lines = open(p, encoding="utf-8").read().splitlines(keepends=True)
            f.writelines(lines if i == 0 else lines[1:])
    with open(mhosts, "w") as f:
        for p in hosts:
            f.write(open(p).read())
    return mcsv, mhosts


def scale(a, city, work, bench, res):
    sizes = sorted(int(x) for x in a.scale_sizes.split(","))
    if sizes[-1] > 250 * 256:
        raise SystemExit("bench: --scale-sizes: at most 64000 schools (127.1.X.Y addresses)")
    crawl = ["crawl", "--delay", "0", "--quiet", "--period", "2017-2018", "--allow-addr", "127.1.0.0/16"]
    audit = ["audit", "--period", "2017-2018", "--as-of", "2018-05-15", "--quiet"]
    res["sizes"] = []
    for n in sizes:
        served = []
        try:
            schools, hosts = serve_parts(a, city, n, work, bench, served)
            db = os.path.join(work, f"scale-{n}.db")
            bench.sh([bench.BIN, "--db", db, "schools", "import", schools], stdout=subprocess.DEVNULL)
            c = bench.pa(db, *crawl, "--hosts-file", hosts, log=os.path.join(work, f"crawl-{n}.log"))
            au = bench.pa(db, *audit, log=os.path.join(work, f"audit-{n}.log"))
        finally:
            for out in served:
                stop(bench, out)
        st = bench.db_stats(db)
        res["sizes"].append(dict(schools=n, crawl=c, audit=au, pages=st["pages"],
                                 summary=summary(os.path.join(work, f"crawl-{n}.log"))))
    print(f"\n### Scale (copies of {city})\n")
    print("| schools | pages | crawl wall s | crawl ms/school | crawl peak RSS MB | audit wall s | audit ms/school | audit peak RSS MB |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in res["sizes"]:
        n = r["schools"]
        print(f"| {n} | {r['pages']} | {r['crawl']['wall_s']:.1f} | {1000 * r['crawl']['wall_s'] / n:.1f} | {r['crawl']['rss_mb']:.0f}"
              f" | {r['audit']['wall_s']:.1f} | {1000 * r['audit']['wall_s'] / n:.1f} | {r['audit']['rss_mb']:.0f} |")
    lo, hi = res["sizes"][0], res["sizes"][-1]
    print("\n| measure | value | target | met |")
    print("| --- | --- | --- | --- |")
    for what in ("crawl", "audit"):
        rr = hi[what]["rss_mb"] / max(lo[what]["rss_mb"], 0.1)
        tr = (hi[what]["wall_s"] / hi["schools"]) / (lo[what]["wall_s"] / lo["schools"])
        print(f"| {what} peak RSS, {hi['schools']} vs {lo['schools']} schools | {hi[what]['rss_mb']:.0f} / {lo[what]['rss_mb']:.0f} MB = {rr:.2f}× | ≤ 1.2× | {'yes' if rr <= 1.2 else 'NO'} |")
        print(f"| {what} time per school, {hi['schools']} vs {lo['schools']} schools | {tr:.2f}× | ≤ 1.2× | {'yes' if tr <= 1.2 else 'NO'} |")
