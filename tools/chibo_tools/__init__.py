"""chibo's developer tools. Service images do not install this package: nothing in
`shared/` or `services/` imports it."""
