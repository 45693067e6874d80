# gpt2-tui: `make run` builds and starts it, `make test` runs the whole test suite.
SWIFT ?= swift
APT_PACKAGES := pkg-config libopenblas-dev libncursesw5-dev
DEMO_MODEL := weights/demo/shakespeare-q8_0.gguf

.PHONY: run test build deps

# Installs the system libraries the package links (as root, or through sudo).
deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then apt-get update && apt-get install -y $$missing; \
		elif command -v sudo >/dev/null 2>&1; then sudo apt-get update && sudo apt-get install -y $$missing; \
		else echo "missing system packages:$$missing (install them as root)"; exit 1; fi; \
	fi

build: deps
	$(SWIFT) build -c release

# Until the playground exists, `run` shows the engine at work on the bundled demo model.
run: build
	@echo "The interactive playground is not built yet; here is 'gpt2-tui generate' on the bundled demo model $(DEMO_MODEL):"
	$$($(SWIFT) build -c release --show-bin-path)/gpt2-tui generate --model $(DEMO_MODEL) \
		--input "ROMEO:" --mode sample-top-p --max-length 60 --num-return-sequences 2 --seed 7

test: deps
	$(SWIFT) test
