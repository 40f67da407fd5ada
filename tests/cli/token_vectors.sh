# iamdb token through the real CLI on every botocore vector.
exec python3 "$TESTS_DIR/cli/token_vectors.py"
