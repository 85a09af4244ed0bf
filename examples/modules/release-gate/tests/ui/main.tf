# Acts as someone in the Harness UI (or as a failing network) through the mock's test
# hooks, with curl; HARNESS_MOCK_URL is the mock's address. With expect, the answer must
# contain that text.
variable "method" { type = string }
variable "path" { type = string }
variable "body" {
  type    = string
  default = ""
}
variable "expect" {
  type    = string
  default = ""
}

resource "terraform_data" "call" {
  triggers_replace = timestamp() # every run calls again
  provisioner "local-exec" {
    command = <<-SH
      out=$(curl -fsS -X "$METHOD" $${BODY:+--data "$BODY"} "$HARNESS_MOCK_URL$HOOK") || exit 1
      [ -z "$EXPECT" ] || printf '%s' "$out" | grep -qF -- "$EXPECT" || { echo "no $EXPECT in the answer: $out" >&2; exit 1; }
    SH
    environment = {
      METHOD = var.method
      HOOK   = var.path
      BODY   = var.body
      EXPECT = var.expect
    }
  }
}
