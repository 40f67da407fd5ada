# The shared files as botocore reads them: iamdb credentials on every case
# of tests/vectors/config_cases.jsonl (gen_config_cases.py), roles through
# the loopback fake STS.
. "$TESTS_DIR/lib.sh"
unset XDG_CACHE_HOME
fake_start
export FAKE FAKE_DIR
python3 "$TESTS_DIR/cli/config_cases.py"
