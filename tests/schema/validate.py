#!/usr/bin/env python3
"""Checks that what the C++ event types write conforms to the JSON Schemas in proto/.

Runs the emitter, validates every envelope and its payload with a real validator (Debian's
python3-jsonschema), checks that every known type has a schema and a sample, and that the
schemas do reject broken documents (so a schema that accepts anything fails this test).
Prints 'N passed, M failed'.
"""
import argparse
import copy
import json
import pathlib
import subprocess
import sys

import jsonschema


def load_store(proto):
    store = {}
    for path in sorted(proto.rglob("*.schema.json")):
        schema = json.loads(path.read_text())
        jsonschema.Draft202012Validator.check_schema(schema)
        store[schema["$id"]] = schema
    return store


def validator_for(store, schema_id):
    schema = store[schema_id]
    resolver = jsonschema.RefResolver(base_uri=schema_id, referrer=schema, store=store)
    return jsonschema.Draft202012Validator(schema, resolver=resolver)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--proto", required=True, type=pathlib.Path)
    parser.add_argument("--emitter", required=True)
    args = parser.parse_args()

    store = load_store(args.proto)
    base = "https://switchboard.local/proto/"
    envelope = validator_for(store, base + "envelope.schema.json")
    payloads = {}
    passed, failed = 0, 0

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL:", what)

    def payload_validator(event_type):
        if event_type not in payloads:
            payloads[event_type] = validator_for(store, f"{base}events/{event_type}.schema.json")
        return payloads[event_type]

    types = subprocess.run([args.emitter, "--types"], check=True, capture_output=True,
                           text=True).stdout.split()
    lines = subprocess.run([args.emitter], check=True, capture_output=True,
                           text=True).stdout.splitlines()
    samples = [json.loads(line) for line in lines]

    for event_type in types:
        check(f"{base}events/{event_type}.schema.json" in store, f"no schema for {event_type}")
        check(any(s["type"] == event_type for s in samples), f"no sample of {event_type}")
    check(sorted(envelope.schema["properties"]["type"]["enum"]) == sorted(types),
          "envelope type enum differs from the C++ list of known types")

    for sample in samples:
        errors = [e.message for e in envelope.iter_errors(sample)]
        check(not errors, f"envelope {sample.get('type')}: {errors}")
        errors = [e.message for e in payload_validator(sample["type"]).iter_errors(sample["payload"])]
        check(not errors, f"payload {sample['type']}: {errors} in {sample['payload']}")

    # The schemas must be able to say no.
    first = next(s for s in samples if s["type"] == "CustomerMessage")
    broken = []
    for mutate in (
        lambda d: d.pop("id"),
        lambda d: d.update(schema_version=2),
        lambda d: d.update(type="Unknown"),
        lambda d: d.update(time="yesterday"),
        lambda d: d.update(extra=1),
    ):
        doc = copy.deepcopy(first)
        mutate(doc)
        broken.append(("envelope", doc))
    for mutate in (
        lambda p: p.update(customer="2088675309"),
        lambda p: p.update(channel="fax"),
        lambda p: p.pop("text"),
        lambda p: p.update(text=7),
    ):
        doc = copy.deepcopy(first)
        mutate(doc["payload"])
        broken.append(("payload", doc))
    for where, doc in broken:
        if where == "envelope":
            ok = not envelope.is_valid(doc)
        else:
            ok = not payload_validator(doc["type"]).is_valid(doc["payload"])
        check(ok, f"schema accepted a broken {where}: {json.dumps(doc)[:200]}")

    delivery = store[base + "delivery.schema.json"]
    header = jsonschema.Draft202012Validator(delivery["$defs"]["header"])
    ack = jsonschema.Draft202012Validator(delivery["$defs"]["ack"])
    check(header.is_valid({"producer": "router", "epoch": "e", "seq": 3, "base": 1}), "header")
    check(not header.is_valid({"producer": "router", "epoch": "e", "seq": 0, "base": 1}),
          "header with seq 0 accepted")
    check(ack.is_valid({"consumer": "router", "topic": "t", "epoch": "e", "seq": 0, "gap": True}),
          "ack")

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
