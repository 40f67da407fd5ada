# Terraform: an IAM token for the PostgreSQL provider, through the external
# data source, which speaks iamdb json --stdin's protocol (a JSON object of
# strings in, a flat JSON object of strings out).
data "external" "app_db" {
  program = ["iamdb", "json", "--stdin"]
  query = {
    host     = aws_db_instance.app.address
    port     = tostring(aws_db_instance.app.port)
    user     = "terraform"
    database = "app"
    engine   = "postgres"
  }
}

provider "postgresql" {
  host      = data.external.app_db.result.host
  port      = data.external.app_db.result.port
  username  = data.external.app_db.result.user
  password  = data.external.app_db.result.token
  database  = data.external.app_db.result.database
  sslmode   = "verify-full"
  sslrootcert = data.external.app_db.result.sslrootcert
  superuser = false
}
