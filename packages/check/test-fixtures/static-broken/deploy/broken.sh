#!/usr/bin/env bash
set -euo pipefail
for host in web db; do
  echo "deploying ${host}"
fi
