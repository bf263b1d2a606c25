from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.registry import Registry
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    q: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    page: int | Unset = 1,
    page_size: int | Unset = 10,
    name: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    params: dict[str, Any] = {}

    params["q"] = q

    params["sort"] = sort

    params["page"] = page

    params["page_size"] = page_size

    params["name"] = name

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/registries",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> list[Registry] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = Registry.from_dict(response_200_item_data)

            response_200.append(response_200_item)

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[list[Registry]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    q: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    page: int | Unset = 1,
    page_size: int | Unset = 10,
    name: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[list[Registry]]:
    """List the registries

     List the registries

    Args:
        q (str | Unset):
        sort (str | Unset):
        page (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 10.
        name (str | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[list[Registry]]
    """

    kwargs = _get_kwargs(
        q=q,
        sort=sort,
        page=page,
        page_size=page_size,
        name=name,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    q: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    page: int | Unset = 1,
    page_size: int | Unset = 10,
    name: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> list[Registry] | None:
    """List the registries

     List the registries

    Args:
        q (str | Unset):
        sort (str | Unset):
        page (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 10.
        name (str | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        list[Registry]
    """

    return sync_detailed(
        client=client,
        q=q,
        sort=sort,
        page=page,
        page_size=page_size,
        name=name,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    q: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    page: int | Unset = 1,
    page_size: int | Unset = 10,
    name: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[list[Registry]]:
    """List the registries

     List the registries

    Args:
        q (str | Unset):
        sort (str | Unset):
        page (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 10.
        name (str | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[list[Registry]]
    """

    kwargs = _get_kwargs(
        q=q,
        sort=sort,
        page=page,
        page_size=page_size,
        name=name,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    q: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    page: int | Unset = 1,
    page_size: int | Unset = 10,
    name: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> list[Registry] | None:
    """List the registries

     List the registries

    Args:
        q (str | Unset):
        sort (str | Unset):
        page (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 10.
        name (str | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        list[Registry]
    """

    return (
        await asyncio_detailed(
            client=client,
            q=q,
            sort=sort,
            page=page,
            page_size=page_size,
            name=name,
            x_request_id=x_request_id,
        )
    ).parsed
