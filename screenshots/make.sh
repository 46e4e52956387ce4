#!/usr/bin/env bash
# Makes the PNG screenshots in screenshots/ from a real run of the console on its embedded
# sandbox: the console runs in a tmux pane of its own, an operator's incident is played into
# it key by key, and each moment is captured (tmux capture-pane -e) and rendered cell by cell
# (render.py). Run from anywhere: bash screenshots/make.sh
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
binary="$(swift build --show-bin-path)/ecgrid-console"
[ -x "$binary" ] || { echo "the build did not produce $binary" >&2; exit 1; }

work="$(mktemp -d)"
socket="ecgrid-shots-$$"
cleanup() {
    tmux -L "$socket" kill-server 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# A clean environment: a history of its own, UTF-8, 256 colours.
env -i PATH=/usr/bin:/bin HOME="$work" XDG_STATE_HOME="$work/state" LANG=C.UTF-8 SHELL=/bin/sh \
    tmux -L "$socket" -f /dev/null new-session -d -s shots -x "$columns" -y "$rows" \
    "TERM=xterm-256color '$binary' --sandbox; echo EXITED=\$?; sleep 600"

screen() { tmux -L "$socket" capture-pane -p -t shots; }
keys() { tmux -L "$socket" send-keys -t shots "$@"; }
typed() { tmux -L "$socket" send-keys -t shots -l "$1"; }

# Waits until the screen shows $1 (at most 20 s).
wait_for() {
    local deadline=$((SECONDS + 20))
    until screen | grep -qF -- "$1"; do
        if [ $SECONDS -ge $deadline ]; then
            echo "timed out waiting for: $1" >&2
            screen >&2
            exit 1
        fi
        sleep 0.1
    done
}

shot() {
    tmux -L "$socket" capture-pane -e -p -N -t shots > "$work/$1.txt"
    /usr/bin/python3 "$here/render.py" "$work/$1.txt" "$here/$1.png" "$columns" "$rows"
    echo "screenshots/$1.png"
}

wait_for "all loaded"
shot 01-users

keys /
typed "brennan"
wait_for "match"
keys Enter
# Enter again reads the selected user from the server into the record pane.
keys Enter
wait_for "as the server has it"
shot 02-filter

keys r
wait_for "Open sessions"
keys Tab
typed "INC-4711: phished credentials"
keys Tab
typed "$(screen | grep -oE '▶ +[0-9]+' | head -1 | grep -oE '[0-9]+')"
wait_for "Matches: Enter resets"
shot 03-confirm

keys Enter
wait_for "→ HTTP 200"
wait_for "succeeded reset"
shot 04-response

# Two more users of the same filter at once: mark them, reset with the count.
keys Down Space Space
wait_for "2 marked"
keys r
wait_for "Enter confirms when it matches"
keys Tab
typed "INC-4711: same mailbox"
keys Tab
typed "2"
keys Enter
wait_for "2 of 2 succeeded"
keys Tab Tab
wait_for "▶ History"
shot 05-history

keys "?"
wait_for "Keys"
shot 06-help

keys Escape q
wait_for "EXITED=0"
