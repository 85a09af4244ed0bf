# Instead of the moved blocks, on a CLI without cross-provider moves: forget the
# official provider's resources without destroying them, and import the same objects.
removed {
  from = harness_platform_db_schema.orders
  lifecycle {
    destroy = false
  }
}

import {
  to = harness_dbops_db_schema.orders
  id = "o1/p1/orders"
}

removed {
  from = harness_platform_db_instance.prod
  lifecycle {
    destroy = false
  }
}

import {
  to = harness_dbops_db_instance.prod
  id = "o1/p1/orders/prod"
}
