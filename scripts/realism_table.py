"""Reads `ccsim compare --json` on stdin and prints, per variant and queue,
the service level and abandon rate with their sd across days and the
paired difference from the base (markdown). Used by scripts/realism.sh."""
import json
import sys

d = json.load(sys.stdin)
queues = sys.argv[1].split(",")
diff = {(x["variant"], x["scope"], x["metric"]): x for x in d["differences"]}


def pp(x):
    star = " *" if x["significant"] else ""
    return f"{x['mean'] * 100:+.2f} pp ± {x['ci95'] * 100:.2f}{star}"


print("| variant | queue | service level (sd across days) | difference | abandon rate (sd) | difference |")
print("|---|---|---|---|---|---|")
for v in d["variants"]:
    for qn in queues:
        q = v["summary"]["queues"][qn]
        sl, ab = q["service_level"], q["abandon_rate"]
        if v["name"] == "base":
            dsl = dab = "–"
        else:
            dsl = pp(diff[(v["name"], qn, "service_level")])
            dab = pp(diff[(v["name"], qn, "abandon_rate")])
        print(
            f"| {v['name']} | {qn} | {sl['mean'] * 100:.2f}% ({sl['sd'] * 100:.2f}) | {dsl} "
            f"| {ab['mean'] * 100:.2f}% ({ab['sd'] * 100:.2f}) | {dab} |"
        )
