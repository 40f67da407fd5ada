# The fake AWS endpoints themselves: its SigV4 verifier agrees with an
# independent signer and with the AWS suite, so the provider tests that
# rely on it mean what they say.
exec python3 "$TESTS_DIR/fakes/selftest.py"
