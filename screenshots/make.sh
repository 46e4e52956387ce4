#!/usr/bin/env bash
# Makes the PNG screenshots in screenshots/ from a real run of the console on its embedded
# sandbox: the tests' console driver (console-driver, the Tmux driver of ConsoleTestSupport)
# runs it in a tmux pane of its own and plays an operator's incident into it key by key; each
# moment is captured (tmux capture-pane -e) and rendered cell by cell (render.py).
# Run from anywhere: bash screenshots/make.sh
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$root"

columns=120
rows=36

# What the renderer needs: Pillow for Debian's python3, DejaVu and Unifont.
missing=()
/usr/bin/python3 -c 'import PIL' 2>/dev/null || missing+=(python3-pil)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] || missing+=(fonts-dejavu-core)
[ -f /usr/share/fonts/opentype/unifont/unifont.otf ] || missing+=(fonts-unifont)
command -v tmux >/dev/null || missing+=(tmux)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "make.sh needs: ${missing[*]} (apt-get install them, or run this as root)" >&2
        exit 2
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

swift build --product ecgrid-console 2>&1 | grep -E "error|warning: .*Sources|Build" || true
swift build --product console-driver 2>&1 | grep -E "error|warning: .*Tests|Build" || true
bin="$(swift build --show-bin-path)"
binary="$bin/ecgrid-console"
[ -x "$binary" ] || { echo "the build did not produce $binary" >&2; exit 1; }
[ -x "$bin/console-driver" ] || { echo "the build did not produce $bin/console-driver" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
shots=(01-users 02-filter 03-confirm 04-response 05-history 06-help)

# A clean environment: a history of its own, UTF-8, 256 colours.
env -i PATH=/usr/bin:/bin HOME="$work" XDG_STATE_HOME="$work/state" LANG=C.UTF-8 SHELL=/bin/sh TERM=xterm-256color \
    "$bin/console-driver" "$columns" "$rows" "$binary" --sandbox <<SCRIPT
wait all loaded
capture $work/01-users.txt

keys /
type brennan
wait match
keys Enter
# Enter again reads the selected user from the server into the record pane.
keys Enter
wait as the server has it
capture $work/02-filter.txt

keys r
wait Open sessions
keys Tab
type INC-4711: phished credentials
keys Tab
type-match ▶ +([0-9]+)
wait Matches: Enter resets
capture $work/03-confirm.txt

keys Enter
wait → HTTP 200
wait succeeded reset
capture $work/04-response.txt

# Two more users of the same filter at once: mark them, reset with the count.
keys Down Space Space
wait 2 marked
keys r
wait Enter confirms when it matches
keys Tab
type INC-4711: same mailbox
keys Tab
type 2
keys Enter
wait 2 of 2 succeeded
keys Tab Tab
wait ▶ History
capture $work/05-history.txt

keys ?
wait Keys
capture $work/06-help.txt

keys Escape q
wait EXITED=0
SCRIPT

for name in "${shots[@]}"; do
    /usr/bin/python3 "$here/render.py" "$work/$name.txt" "$here/$name.png" "$columns" "$rows"
    echo "screenshots/$name.png"
done
