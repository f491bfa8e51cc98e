"""The OpenAPI document is generated from the code: valid 3.1, and it lists every route the API serves."""

from __future__ import annotations

from openapi_spec_validator import validate
from pydantic import BaseModel, Field

from web.openapi import ApiModel, ApiRouter, ListQuery, build_blueprint, openapi_document, openapi_path, page_of

METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def test_openapi_document_is_valid_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")  # public: no token
    assert response.status_code == 200
    doc = response.get_json()
    validate(doc)
    assert doc["openapi"].startswith("3.1")
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": "The server's API_TOKEN."}
    assert doc["security"] == [{"bearerAuth": []}]
    assert "next_cursor" in doc["info"]["description"] and "limit" in doc["info"]["description"]


def test_every_api_route_is_in_the_document(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            for method in rule.methods & METHODS:
                served.add((openapi_path(rule.rule[len("/api/v1"):]), method.lower()))
    documented = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    assert served == documented
    assert ("/citizens/{citizen_id}", "get") in documented


def test_operations_document_parameters_bodies_and_errors(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    citizens = doc["paths"]["/citizens"]["get"]
    params = {p["name"]: p for p in citizens["parameters"]}
    assert params["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}
    assert "mueang" in params["district"]["schema"]["enum"]
    assert params["following"]["schema"]["type"] == "boolean"
    assert citizens["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CitizenOutPage"}
    assert {"401", "422", "503"} <= set(citizens["responses"])
    retry = doc["paths"]["/outbox/{outbox_id}/retry"]["post"]
    assert {"404", "409"} <= set(retry["responses"])
    assert doc["paths"]["/openapi.json"]["get"]["security"] == []
    assert "line_user_id" not in doc["components"]["schemas"]["CitizenOut"]["properties"]


def test_a_new_resource_with_a_body_documents_itself():
    """What a feature gets by declaring an operation: request body, 400/422, response schema, tag."""

    class Thing(ApiModel):
        id: int
        name: str

    class NewThing(BaseModel):
        name: str = Field(min_length=1, max_length=50)
        tags: list[str] = []

    class ThingQuery(ListQuery):
        tag: list[str] = Field(default_factory=list, description="Repeat for several tags.")

    router = ApiRouter("things", "ของทดลอง")

    @router.post("/things", summary="Create a thing", body=NewThing, response=Thing, status=201)
    def create_thing(body: NewThing) -> Thing:
        return Thing(id=1, name=body.name)

    @router.get("/things", summary="List things", query=ThingQuery, response=page_of(Thing))
    def list_things(query: ThingQuery) -> dict:
        return {"data": [{"id": 1, "name": ",".join(query.tag)}], "next_cursor": None}

    doc = openapi_document([router], title="t", version="1", description="d")
    validate(doc)
    post = doc["paths"]["/things"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/NewThing"}
    assert {"201", "400", "422"} <= set(post["responses"]) and post["tags"] == ["things"]
    tag = next(p for p in doc["paths"]["/things"]["get"]["parameters"] if p["name"] == "tag")
    assert tag["schema"]["type"] == "array" and tag["explode"] is True

    from flask import Flask

    app = Flask(__name__)
    app.register_blueprint(build_blueprint("things_api", [router], url_prefix="/t"))
    client = app.test_client()
    created = client.post("/t/things", json={"name": "ผ้าไหม"})
    assert created.status_code == 201 and created.get_json() == {"id": 1, "name": "ผ้าไหม"}
    assert client.post("/t/things", json={"name": ""}).status_code == 422
    assert client.post("/t/things", data="not json", content_type="application/json").status_code == 400
    assert client.post("/t/things", data="name=x").get_json()["error"]["code"] == "invalid_json"
    listed = client.get("/t/things?tag=a&tag=b").get_json()
    assert listed["data"][0]["name"] == "a,b"

