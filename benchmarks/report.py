#!/usr/bin/env python3
"""Turns the raw lines run.sh collects (RESULT, STARTUP, RSS, BUSY, DISK, MACHINE) into Markdown.

Each (target, protocol, scenario) ran in several interleaved rounds; the tables show the median
round and list every round, so a round disturbed by other work on the machine is visible.
"""
import re
import statistics
import sys
from collections import defaultdict

KV = re.compile(r'(\w+)=("[^"]*"|\S+)')


def parse(path):
    lines = defaultdict(list)
    for line in open(path):
        kind, _, rest = line.strip().partition(' ')
        if kind.isupper():
            lines[kind].append({k: v.strip('"') for k, v in KV.findall(rest)})
    return lines


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, digits=1):
    if v is None:
        return '-'
    return f'{v:,.0f}' if digits == 0 else f'{v:,.{digits}f}'


def main(path):
    d = parse(path)
    groups = defaultdict(list)
    for r in d['RESULT']:
        groups[(r.get('target'), r.get('protocol', ''), r.get('scenario'))].append(r)

    for m in d['MACHINE']:
        print('- ' + ', '.join(f'{k}: {v}' for k, v in m.items()))
    busy = [int(b['busy_pct_after']) for b in d['BUSY'] if b.get('busy_pct_after', '').isdigit()]
    if busy:
        print(f'- whole-machine CPU busy in the second after each run (other processes included): '
              f'median {statistics.median(busy):.0f}%, max {max(busy)}%')
    print()
    print('| scenario | target | protocol | records/s (median) | MiB/s | p50 ms | p99 ms | max ms | latency of '
          '| target CPU µs/record | client CPU µs/record | errors | records/s per round |')
    print('|---|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---|')
    order = ['putrecords', 'putrecord', 'drain', 'tail-latency', 'soak']
    for key in sorted(groups, key=lambda k: (order.index(k[2]) if k[2] in order else 9, k[0], k[1])):
        rs = groups[key]
        if any('error' in r for r in rs):
            print(f'| {key[2]} | {key[0]} | {key[1]} | failed: {rs[0].get("error")} |||||||||')
            continue
        rate = med(num(r['records_per_s']) for r in rs)
        errors = sum(int(r['errors']) + int(r['failed_records']) for r in rs)
        print(f"| {key[2]} | {key[0]} | {key[1]} | {fmt(rate, 0)} | {fmt(med(num(r['mib_per_s']) for r in rs))} "
              f"| {fmt(med(num(r['p50_ms']) for r in rs), 2)} | {fmt(med(num(r['p99_ms']) for r in rs), 2)} "
              f"| {fmt(max((num(r['max_ms']) or 0) for r in rs), 2)} | {rs[0]['latency']} "
              f"| {fmt(med(num(r.get('target_cpu_us_per_record')) for r in rs))} "
              f"| {fmt(med(num(r.get('client_cpu_us_per_record')) for r in rs))} | {errors} "
              f"| {', '.join(fmt(num(r['records_per_s']), 0) for r in rs)} |")

    def rounds(target, protocol, scenario='putrecords'):
        return {r.get('round'): num(r['records_per_s']) for r in groups.get((target, protocol, scenario), [])}

    def ratio(a, b):
        ra, rb = rounds(*a), rounds(*b)
        per_round = [ra[k] / rb[k] for k in ra if k in rb and rb[k]]
        return (med(per_round), per_round) if per_round else (None, [])

    print()
    checks = [
        ('Tributary / ceiling, PutRecords 500 x 1 KiB, CBOR (SDK default)', ('tributary', 'cbor'), ('ceiling', 'cbor'), 0.8),
        ('Tributary / ceiling, PutRecords 500 x 1 KiB, JSON', ('tributary', 'json'), ('ceiling', 'json'), 0.8),
        ('Tributary / kinesalite, PutRecords 500 x 1 KiB, both JSON', ('tributary', 'json'), ('kinesalite', 'json'), 2.2),
        ('Tributary (CBOR) / kinesalite (JSON, all it speaks)', ('tributary', 'cbor'), ('kinesalite', 'json'), 2.2),
    ]
    for name, a, b, goal in checks:
        value, per_round = ratio(a, b)
        if value is None:
            continue
        verdict = 'met' if value >= goal else 'NOT met'
        print(f"- {name}: **{value:.2f}x** median of rounds ({', '.join(f'{x:.2f}' for x in per_round)}); "
              f"goal >= {goal}x: {verdict}")
    for (target, protocol, scenario), rs in sorted(groups.items()):
        if scenario == 'tail-latency' and not any('error' in r for r in rs):
            p99 = med(num(r['p99_ms']) for r in rs)
            verdict = 'met' if p99 is not None and p99 < 50 else 'NOT met'
            print(f"- put-to-get p99, {target} ({protocol}): **{fmt(p99, 1)} ms** median of rounds "
                  f"({', '.join(r['p99_ms'] for r in rs)}); goal < 50 ms: {verdict}")

    print()
    print('| target | start-up to ready, median ms | min | max | runs (ms) | RSS at ready MiB |')
    print('|---|---:|---:|---:|---|---:|')
    by_target = defaultdict(list)
    for s in d['STARTUP']:
        by_target[s['target']].append(s)
    for target, ss in by_target.items():
        ms = [int(x) for s in ss if 'all_ms' in s for x in s['all_ms'].strip('[]').split(',')]
        rss = med(num(s.get('rss_ready_mib')) for s in ss)
        if not ms:
            print(f'| {target} | failed |||||')
            continue
        goal = ' (goal < 500: ' + ('met' if statistics.median(ms) < 500 else 'NOT met') + ')' if target == 'tributary' else ''
        print(f'| {target} | {statistics.median(ms):.0f}{goal} | {min(ms)} | {max(ms)} | '
              f'{", ".join(map(str, ms))} | {fmt(rss, 0)} |')

    print()
    print('| target | RSS MiB after start | after the putrecords rounds | at the end |')
    print('|---|---:|---:|---:|')
    for target in dict.fromkeys(r['target'] for r in d['RSS']):
        got = {r['when']: r['rss_mib'] for r in d['RSS'] if r['target'] == target}
        print(f"| {target} | {got.get('after_start', '-')} | {got.get('after_putrecords', '-')} | {got.get('end', '-')} |")
    for disk in d['DISK']:
        print(f"\nTributary data directory after the putrecords rounds: {disk['data_dir_mib']} MiB")


if __name__ == '__main__':
    main(sys.argv[1])
