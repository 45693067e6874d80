# gpt2-tui: `make run` builds and starts it, `make test` runs the whole test suite.
SWIFT ?= swift
APT_PACKAGES := pkg-config libopenblas-dev libncursesw5-dev
# tmux runs the end-to-end tests of the playground in a real terminal.
TEST_PACKAGES := tmux

.PHONY: run test build deps test-deps install

# Installs the system libraries the package links (as root, or through sudo).
deps:
	@$(MAKE) --no-print-directory install PACKAGES="$(APT_PACKAGES)"

test-deps:
	@$(MAKE) --no-print-directory install PACKAGES="$(APT_PACKAGES) $(TEST_PACKAGES)"

install:
	@missing=""; \
	for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then apt-get update && apt-get install -y $$missing; \
		elif command -v sudo >/dev/null 2>&1; then sudo apt-get update && sudo apt-get install -y $$missing; \
		else echo "missing system packages:$$missing (install them as root)"; exit 1; fi; \
	fi

build: deps
	$(SWIFT) build -c release

# The playground on the default model: gpt2 when it is downloaded, else the bundled demo.
run: build
	$$($(SWIFT) build -c release --show-bin-path)/gpt2-tui

test: test-deps
	$(SWIFT) test
