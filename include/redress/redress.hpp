// redress: YAML conflict playbooks compiled into state machines, evaluated into Decisions.
#pragma once

#include "redress/case.hpp"
#include "redress/data.hpp"
#include "redress/decimal.hpp"
#include "redress/decision.hpp"
#include "redress/diagnostic.hpp"
#include "redress/explain.hpp"
#include "redress/json_lines.hpp"
#include "redress/location.hpp"
#include "redress/money.hpp"
#include "redress/live_pack.hpp"
#include "redress/pack.hpp"
#include "redress/testing.hpp"
#include "redress/time.hpp"
#include "redress/value.hpp"
#include "redress/version.hpp"
