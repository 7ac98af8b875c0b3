#!/usr/bin/env bash
# Kernel requests under --kni-policy all=reject (see kni_policy.sh).
POLICY=reject
. "$(dirname "$0")/kni_policy.sh"
