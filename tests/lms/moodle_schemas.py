"""JSON Schemas of the Moodle web-service answers the Moodle driver reads.

Written from Moodle's own `external_description` returns (moodle/moodle: webservice/externallib.php
`get_site_info_returns`, course/externallib.php with `course_summary_exporter`,
enrol/externallib.php `get_enrolled_users_returns`, group/externallib.php
`get_course_groups_returns`, mod/assign/externallib.php `get_assignments_returns`,
`list_participants_returns`, `get_user_flags_returns`, `get_submissions_returns`, and
mod/assign/classes/external/get_overrides.php). Rules of that description language:
VALUE_REQUIRED keys are always there, VALUE_OPTIONAL keys may be left out, VALUE_DEFAULT keys are
always there (null when the default is null); PARAM_INT is a JSON integer, PARAM_BOOL a JSON
boolean, text params strings. Objects are strict: a key Moodle does not describe is an error.
Every answer the Moodle fixture gives is validated against these.
"""

from __future__ import annotations

from typing import Any

import jsonschema

INT: dict[str, Any] = {"type": "integer"}
STR: dict[str, Any] = {"type": "string"}
BOOL: dict[str, Any] = {"type": "boolean"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"type": [schema["type"], "null"]}


def obj(required: dict[str, Any], optional: dict[str, Any] | None = None) -> dict[str, Any]:
    """external_single_structure: required keys always present, optional ones may be missing."""
    return {
        "type": "object",
        "required": sorted(required),
        "properties": {**required, **(optional or {})},
        "additionalProperties": False,
    }


def many(item: dict[str, Any]) -> dict[str, Any]:
    """external_multiple_structure."""
    return {"type": "array", "items": item}


ERROR = obj({"exception": STR, "errorcode": STR, "message": STR}, {"debuginfo": STR})
WARNINGS = many(obj({"warningcode": STR, "message": STR}, {"item": STR, "itemid": INT}))

SITE_INFO = obj(
    {
        "sitename": STR, "username": STR, "firstname": STR, "lastname": STR, "fullname": STR, "lang": STR,
        "userid": INT, "siteurl": STR, "userpictureurl": STR,
        "functions": many(obj({"name": STR, "version": STR})),
    },
    {
        "downloadfiles": INT, "uploadfiles": INT, "release": STR, "version": STR, "mobilecssurl": STR,
        "advancedfeatures": many(obj({"name": STR, "value": INT})), "usercanmanageownfiles": BOOL,
        "userquota": INT, "usermaxuploadfilesize": INT, "userhomepage": INT, "userprivateaccesskey": STR,
        "siteid": INT, "sitecalendartype": STR, "usercalendartype": STR, "userissiteadmin": BOOL, "theme": STR,
        "limitconcurrentlogins": INT, "usersessionscount": INT, "policyagreed": INT,
    },
)  # fmt: skip

COURSE_SUMMARY = obj(
    {
        "id": INT, "fullname": STR, "shortname": STR, "idnumber": STR, "summary": nullable(STR),
        "summaryformat": INT, "startdate": INT, "enddate": INT, "visible": BOOL,
        "showactivitydates": nullable(BOOL), "showcompletionconditions": nullable(BOOL),
        "fullnamedisplay": STR, "viewurl": STR, "courseimage": STR, "hasprogress": BOOL, "isfavourite": BOOL,
        "hidden": BOOL, "showshortname": BOOL, "coursecategory": STR,
    },
    {"progress": INT, "timeaccess": INT, "pdfexportfont": STR},
)  # fmt: skip
TIMELINE = obj({"courses": many(COURSE_SUMMARY), "nextoffset": INT})

USER_GROUP = obj({"id": INT, "name": STR, "description": STR}, {"descriptionformat": INT})
USER_ROLE = obj({"roleid": INT, "name": STR, "shortname": STR, "sortorder": INT})
_USER_OPTIONAL: dict[str, Any] = {
    "username": STR, "firstname": STR, "lastname": STR, "email": STR, "address": STR, "phone1": STR,
    "phone2": STR, "department": STR, "institution": STR, "idnumber": STR, "interests": STR, "firstaccess": INT,
    "lastaccess": INT, "lastcourseaccess": INT, "description": STR, "descriptionformat": INT, "city": STR,
    "country": STR, "profileimageurlsmall": STR, "profileimageurl": STR,
    "customfields": many(obj({"type": STR, "value": STR, "name": STR, "shortname": STR})),
    "groups": many(USER_GROUP), "roles": many(USER_ROLE),
    "preferences": many(obj({"name": STR, "value": STR})),
    "enrolledcourses": many(obj({"id": INT, "fullname": STR, "shortname": STR})),
}  # fmt: skip
ENROLLED_USERS = many(obj({"id": INT, "fullname": STR}, _USER_OPTIONAL))

COURSE_GROUPS = many(
    obj(
        {"id": INT, "courseid": INT, "name": STR, "description": STR, "descriptionformat": INT,
         "enrolmentkey": STR, "idnumber": STR},
        {"visibility": INT, "participation": BOOL, "customfields": many(obj({"name": STR, "shortname": STR,
         "type": STR, "valueraw": STR, "value": STR}))},
    )
)  # fmt: skip

ASSIGN_CONFIG = obj({"id": INT, "assignment": INT, "plugin": STR, "subtype": STR, "name": STR, "value": STR})
ASSIGNMENT = obj(
    {
        "id": INT, "cmid": INT, "course": INT, "name": STR, "nosubmissions": INT, "submissiondrafts": INT,
        "sendnotifications": INT, "sendlatenotifications": INT, "sendstudentnotifications": INT, "duedate": INT,
        "allowsubmissionsfromdate": INT, "grade": INT, "timemodified": INT, "completionsubmit": INT,
        "cutoffdate": INT, "teamsubmission": INT, "requireallteammemberssubmit": INT,
        "teamsubmissiongroupingid": INT, "blindmarking": INT, "revealidentities": INT,
        "attemptreopenmethod": STR, "maxattempts": INT, "markingworkflow": INT, "markingallocation": INT,
        "requiresubmissionstatement": INT, "configs": many(ASSIGN_CONFIG),
    },
    {
        "gradingduedate": INT, "hidegrader": INT, "preventsubmissionnotingroup": INT, "markinganonymous": INT,
        "submissionstatement": STR, "submissionstatementformat": INT, "intro": STR, "introformat": INT,
        "introfiles": many({"type": "object"}), "introattachments": many({"type": "object"}), "activity": STR,
        "activityformat": INT, "activityattachments": many({"type": "object"}), "timelimit": INT,
        "submissionattachments": INT, "gradepenalty": INT,
    },
)  # fmt: skip
ASSIGNMENTS = obj(
    {
        "courses": many(
            obj(
                {
                    "id": INT,
                    "fullname": STR,
                    "shortname": STR,
                    "timemodified": INT,
                    "assignments": many(ASSIGNMENT),
                }
            )
        ),
        "warnings": WARNINGS,
    }
)

PARTICIPANTS = many(
    obj(
        {"id": INT, "fullname": STR, "submitted": BOOL, "requiregrading": BOOL},
        {**_USER_OPTIONAL, "grantedextension": BOOL, "groupid": INT, "groupname": STR},
    )
)

OVERRIDES = obj(
    {
        "overrides": many(
            obj(
                {"id": INT, "assignid": INT, "userid": nullable(INT), "groupid": nullable(INT),
                 "sortorder": nullable(INT), "allowsubmissionsfromdate": nullable(INT), "duedate": nullable(INT),
                 "cutoffdate": nullable(INT), "timelimit": nullable(INT), "reason": nullable(STR),
                 "reasonformat": INT}
            )
        )
    }
)  # fmt: skip

USER_FLAGS = obj(
    {
        "assignments": many(
            obj(
                {
                    "assignmentid": INT,
                    "userflags": many(
                        obj(
                            {"id": INT, "userid": INT, "locked": INT, "mailed": INT, "extensionduedate": INT,
                             "allocatedmarker": INT},
                            {"workflowstate": STR},
                        )
                    ),
                }
            )
        ),
        "warnings": WARNINGS,
    }
)  # fmt: skip

SUBMISSION = obj(
    {"id": INT, "userid": INT, "attemptnumber": INT, "timecreated": INT, "timemodified": INT,
     "status": {"enum": ["new", "draft", "submitted", "reopened"]}, "groupid": INT},
    {"timestarted": INT, "assignment": INT, "latest": INT, "plugins": many({"type": "object"}), "gradingstatus": STR},
)  # fmt: skip
SUBMISSIONS = obj(
    {"assignments": many(obj({"assignmentid": INT, "submissions": many(SUBMISSION)})), "warnings": WARNINGS}
)

RETURNS: dict[str, dict[str, Any]] = {
    "core_webservice_get_site_info": SITE_INFO,
    "core_course_get_enrolled_courses_by_timeline_classification": TIMELINE,
    "core_enrol_get_enrolled_users": ENROLLED_USERS,
    "core_group_get_course_groups": COURSE_GROUPS,
    "mod_assign_get_assignments": ASSIGNMENTS,
    "mod_assign_list_participants": PARTICIPANTS,
    "mod_assign_get_overrides": OVERRIDES,
    "mod_assign_get_user_flags": USER_FLAGS,
    "mod_assign_get_submissions": SUBMISSIONS,
}


def validate(function: str, payload: Any) -> None:
    """Raise `jsonschema.ValidationError` unless `payload` is what Moodle documents for `function`."""
    if isinstance(payload, dict) and "exception" in payload:
        jsonschema.validate(payload, ERROR)
    else:
        jsonschema.validate(payload, RETURNS[function])
