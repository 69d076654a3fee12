#!/bin/sh
# bench-run.sh: sfn run against aws-local-stepfunctions (npm) on ../shared/bench, as whole processes.
# Prints hyperfine's timings (transitions per second = transitions / mean time) and the peak RSS
# of each command (GNU time). sfn runs as users run it: the history table on (stderr to a file);
# SFN_HISTORY=none or json measures that --history instead. Needs hyperfine, /usr/bin/time, node
# and npm.
#   scripts/bench-run.sh [BENCH_DIR]        (default ../shared/bench)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bench=${1:-$root/../shared/bench}
peer=${PEER_DIR:-/tmp/alsf}
[ -x "$peer/node_modules/.bin/local-sfn" ] || npm install --prefix "$peer" aws-local-stepfunctions >/dev/null
go build -o /tmp/sfn-bench "$root/cmd/sfn"
sfn=/tmp/sfn-bench
local_sfn=$peer/node_modules/.bin/local-sfn
cd "$bench"
# name:definition:input:transitions
for case in pass_loop:pass_loop:pass_loop:20003 map_inline:map_inline:map_inline:30002 map_inline_mc40:map_inline_mc40:map_inline:30002; do
	name=${case%%:*}; rest=${case#*:}; def=${rest%%:*}; rest=${rest#*:}; in=${rest%%:*}; n=${rest#*:}
	# The Map's output (661 KB) is over AWS's 256 KiB payload limit, which aws-local-stepfunctions
	# does not enforce: --no-payload-limit lifts it so that both produce the same output. The loops
	# record more than AWS's 25,000 history events: --no-event-limit lifts that limit too.
	ours="$sfn run --clock virtual --history ${SFN_HISTORY:-table} --no-payload-limit --no-event-limit $def.asl.json --input $in.input.json 2>/tmp/bench-$name.history"
	theirs="$local_sfn -f $def.asl.json < $in.input.json"  # it reads the input from standard input
	echo "== $name ($n transitions)"
	hyperfine --warmup 1 --runs ${RUNS:-5} --export-json "/tmp/bench-$name.json" \
		-n sfn "$ours" -n aws-local-stepfunctions "$theirs" | grep -E 'Time|±|faster' || true
	for who in sfn aws-local-stepfunctions; do
		if [ $who = sfn ]; then cmd=$ours; else cmd=$theirs; fi
		rss=$(/usr/bin/time -f %M sh -c "exec $cmd > /dev/null" 2>&1 | tail -1)
		mean=$(python3 -c "import json,sys; r=[x for x in json.load(open('/tmp/bench-$name.json'))['results'] if x['command']=='$who'][0]; print('%.3f s  %d transitions/s' % (r['mean'], $n/r['mean']))")
		echo "$who: $mean, peak RSS ${rss} KB"
	done
done
