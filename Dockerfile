# syntax=docker/dockerfile:1
#
# mockserver in a container: both APIs and the admin API on port 8080.
#
#   docker build -t mockserver .
#   docker run --rm -p 8080:8080 -e MOCKSERVER_ADMIN_TOKEN=change-me mockserver
#
# MOCKSERVER_ADMIN_TOKEN must be given: the container listens on 0.0.0.0,
# and serve refuses to open the admin API (/__mock/: state, scenarios,
# request journal) to the network without a token. Admin calls then send
# "Authorization: Bearer change-me".
#
# Every flag has a MOCKSERVER_* variable (see `mockserver serve --help`):
#   -e MOCKSERVER_SCENARIO=errors
#   -e MOCKSERVER_FIXTURES=/scenarios -v "$PWD/scenarios:/scenarios:ro"
#   -e MOCKSERVER_STATE_FILE=/data/state.json -v mock-data:/data
#   -e MOCKSERVER_TLS=true -e MOCKSERVER_MOUNT=spark=/   (Spark's Ruby client)
# Other commands run the same image: docker run --rm mockserver routes

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/mockserver ./cmd/mockserver \
 && mkdir -p /out/data

FROM gcr.io/distroless/static:nonroot
COPY --from=build /out/mockserver /mockserver
# /data, owned by distroless's nonroot user (65532), is where a named volume
# for --state-file goes; a new named volume takes over its owner.
COPY --from=build --chown=65532:65532 /out/data /data
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/mockserver"]
CMD ["serve", "--addr", "0.0.0.0:8080"]
