# Sourced by the benchmark scripts (from the project's root): builds rapport in release (or BUILD=debug, which skips
# the slow release build), sets BIN to the binary and DIR to a temporary folder that is removed on exit.
CONFIG=${BUILD:-release}
swift build -c "$CONFIG" --product rapport >/dev/null
BIN=$(swift build -c "$CONFIG" --show-bin-path)/rapport
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
