#!/usr/bin/env python3
"""Strict check of MetalLB objects (metallb.io/v1beta1 IPAddressPool, L2Advertisement) in Kubernetes manifests.

kubernetes-validate bundles only Kubernetes' own schemas: for a custom resource it prints a WARN and
passes. This script fills that gap for the two MetalLB kinds ftservices renders. The spec schemas below
are transcribed by hand from MetalLB 0.14.9's CRDs (config/crd/bases/metallb.io_ipaddresspools.yaml and
metallb.io_l2advertisements.yaml, openAPIV3Schema of v1beta1): every spec field with its type, plus
additionalProperties: false as `kubectl apply` with field validation would reject unknown fields.
Nested selectors (serviceAllocation, *Selectors) are checked as objects only. `metadata` is checked with
the Kubernetes ObjectMeta schema that kubernetes-validate bundles. Addresses must parse as a CIDR or an
"A-B" range unless they are the ${FTS_ADDRESS} placeholder of srcs/k8s/.

Usage: validate-metallb.py FILE...   (the Python of kubernetes-validate: needs jsonschema, referencing, yaml)
Prints one line per MetalLB object; exit status 1 when any fails, 0 otherwise (also when a file has none).
"""
import ipaddress
import json
import sys

import importlib_resources
import jsonschema
import referencing
import yaml
from kubernetes_validate import utils

OBJECT_META = {"$ref": "https://kubernetes.io/api/_definitions.json#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}
SELECTORS = {"type": "array", "items": {"type": "object"}}
STRINGS = {"type": "array", "items": {"type": "string"}}


def resource(kind, spec_properties, required=()):
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["apiVersion", "kind", "metadata", "spec"],
        "properties": {
            "apiVersion": {"const": "metallb.io/v1beta1"},
            "kind": {"const": kind},
            "metadata": OBJECT_META,
            "spec": {
                "type": "object",
                "additionalProperties": False,
                "required": list(required),
                "properties": spec_properties,
            },
        },
    }


SCHEMAS = {
    "IPAddressPool": resource("IPAddressPool", {
        "addresses": STRINGS,
        "autoAssign": {"type": "boolean"},
        "avoidBuggyIPs": {"type": "boolean"},
        "serviceAllocation": {"type": "object"},
    }, required=["addresses"]),
    "L2Advertisement": resource("L2Advertisement", {
        "ipAddressPools": STRINGS,
        "ipAddressPoolSelectors": SELECTORS,
        "nodeSelectors": SELECTORS,
        "interfaces": STRINGS,
    }),
}


def registry():
    version = utils.latest_version()
    path = importlib_resources.files("kubernetes_validate").joinpath(
        "kubernetes-json-schema/v%s-local-strict/_definitions.json" % version)
    definitions = json.loads(path.read_text())
    return referencing.Registry().with_resource(definitions["$id"], referencing.Resource.from_contents(definitions))


def address_problem(address):
    if address == "${FTS_ADDRESS}/32":
        return None
    try:
        if "-" in address:
            first, last = address.split("-", 1)
            ipaddress.ip_address(first.strip())
            ipaddress.ip_address(last.strip())
        else:
            ipaddress.ip_network(address, strict=True)
    except ValueError as error:
        return "address %r is neither a CIDR nor a range: %s" % (address, error)
    return None


def main(files):
    status = 0
    known = registry()
    for name in files:
        with open(name) as handle:
            documents = [d for d in yaml.safe_load_all(handle) if d]
        for document in documents:
            if not str(document.get("apiVersion", "")).startswith("metallb.io/"):
                continue
            kind = document.get("kind")
            label = "%s %s/%s" % (name, kind, document.get("metadata", {}).get("name"))
            schema = SCHEMAS.get(kind)
            if schema is None:
                print("ERROR %s: no schema for MetalLB kind %s here" % (label, kind))
                status = 1
                continue
            problems = [
                "%s: %s" % (".".join(str(p) for p in error.path) or "(root)", error.message)
                for error in jsonschema.Draft202012Validator(schema, registry=known).iter_errors(document)
            ]
            if kind == "IPAddressPool":
                problems += filter(None, (address_problem(a) for a in document.get("spec", {}).get("addresses", []) if isinstance(a, str)))
            if problems:
                status = 1
                for problem in problems:
                    print("ERROR %s: %s" % (label, problem))
            else:
                print("INFO %s passed (MetalLB 0.14.9 v1beta1 schema, strict)" % label)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
