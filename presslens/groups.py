"""Grouping items that are linked in pairs (near-duplicate articles, the same quote in several outlets):
a disjoint-set forest with path halving (Tarjan 1975), written once for every table that needs it."""
from __future__ import annotations


class DisjointSets:
    """`n` items, each first in a group of its own; `union` merges two groups, `find` names an item's group."""

    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)
