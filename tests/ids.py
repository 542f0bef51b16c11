"""Global ids, the only ids a browser or an app ever sees."""

from typing import Any

import graphene


def gid(type_name: str, pk: Any) -> str:
    return graphene.Node.to_global_id(type_name, pk)


def pk_of(global_id: str) -> str:
    return graphene.Node.from_global_id(global_id)[1]
