"""Development tools, kept out of the product package and the Docker image: the fake Bot API
server (tests, demo, benchmarks), the terminal demo and the delivery worker runner."""
