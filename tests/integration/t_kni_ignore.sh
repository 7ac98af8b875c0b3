#!/usr/bin/env bash
# Kernel requests under --kni-policy all=ignore (see kni_policy.sh).
POLICY=ignore
. "$(dirname "$0")/kni_policy.sh"
