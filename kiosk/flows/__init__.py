"""One flow per department: what its screens' buttons do, built on the controller's
``query`` and ``print_document``. A new department is a service client, a flow and
its screens."""
