# The shared files as botocore reads them: iamdb credentials on every case
# of tests/vectors/config_cases.jsonl (gen_config_cases.py).
exec python3 "$TESTS_DIR/cli/config_cases.py"
