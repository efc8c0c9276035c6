module github.com/gridwire/gridwire

go 1.26.0

require (
	github.com/beevik/etree v1.7.0
	github.com/go-resty/resty/v2 v2.17.2
	github.com/jarcoal/httpmock v1.4.2
	github.com/russellhaering/goxmldsig v1.6.1
	github.com/stretchr/testify v1.12.1
	go.uber.org/goleak v1.3.0
)

require (
	github.com/jonboulle/clockwork v0.5.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/net v0.43.0 // indirect
	golang.org/x/time v0.16.0 // indirect
)
