# dnstlsd container image: the static programs, a CA bundle, the run-as
# user, nothing else (no shell, no libc, no package manager).
# Copyright (c) 2026 the dnstlsd authors. ISC license, see LICENSE.
#
# From the source tree, on any machine with Docker or podman:
#
#	docker build -t dnstlsd .
#	docker run --rm -p 53:53/udp -p 53:53/tcp dnstlsd
#	docker run --rm -p 53:53/udp -p 53:53/tcp dnstlsd -d 9.9.9.9#dns.quad9.net
#
# From the programs already built here (no registry, nothing pulled):
#
#	make image [IMAGE=dnstlsd:latest]
#
# which builds the target "local" with the tree that "make image-root"
# stages in build/image as the build context.  Both ways end in the same
# stage "base"; the Debian stage is never touched by "--target local"
# (BuildKit and buildah skip the stages a target does not use).

# Stage 1: build from source, as .ci/run does, static-pie by default.
FROM debian:bookworm AS build
RUN apt-get update && \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	build-essential pkg-config ca-certificates \
	libtls-dev libssl-dev libseccomp-dev libcap-ng-dev libevent-dev && \
    rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN make clean && make -j"$(nproc)" image-root IMAGE_ROOT=/image

# Stage 2: what every image is, whatever its programs came from.
FROM scratch AS base
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="dnstlsd" \
      org.opencontainers.image.description="Privilege-separated, sandboxed DNS to DNS-over-TLS forwarding proxy" \
      org.opencontainers.image.licenses="ISC" \
      org.opencontainers.image.vendor="the dnstlsd authors" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
EXPOSE 53/udp 53/tcp
# Started as root (the default here), the parent binds port 53, chroots
# the children into the empty /var/lib/dnstlsd and runs them and itself
# as _dnstls (uid 65532).  Options appended after the image name follow
# -F; without any, the built-in defaults: Cloudflare over DoT, verified
# with the CA bundle below, listening on 0.0.0.0 and :: port 53.
ENTRYPOINT ["/dnstlsd", "-F"]
# The control socket (/var/run/dnstlsd.sock, /var/run being /run) is
# served by the frontend itself: "show stats" answers only while the
# process that serves the clients runs its event loop, and needs neither
# a shell nor the network nor the listen address or port.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["/dnstlsctl", "show", "stats"]

# The image from the programs built here: "make image" passes build/image
# (see "image-root" in GNUmakefile) as the build context.
FROM base AS local
COPY . /

# The default target: the image from the source tree (stage 1).
FROM base
COPY --from=build /image/ /
