-- wrk script for bench/publication_day.py: each request is a path drawn from the file
-- named by the PATHS environment variable (one per line, repeated in proportion to the
-- mix). With FORBIDDEN set, each answer is checked: any 2xx answer whose body contains it
-- (the new round's address, before its publication) is counted as a leak, and any answer
-- other than 200 as an error, by status. Without it, answers are not read here (reading
-- every body costs wrk a third of its throughput on small answers); wrk counts the
-- non-2xx itself. The counts are printed by done() as lines the bench reads:
-- "CHECKS <answers> <errors> <leaks> <statuses>" and "LATENCY <p50> <p90> <p99> <max>".

local paths = {}
local forbidden = os.getenv("FORBIDDEN")
if forbidden == "" then forbidden = nil end
local threads = {}

for line in io.lines(os.getenv("PATHS")) do
    if line ~= "" then paths[#paths + 1] = line end
end

function setup(thread)
    thread:set("id", #threads + 1)
    threads[#threads + 1] = thread
end

function init(args)
    answers, errors, leaks = 0, 0, 0
    statuses = {}
    math.randomseed(os.time() + id * 7919)
end

function request()
    return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
    answers = answers + 1
    if status ~= 200 then
        errors = errors + 1
        statuses[status] = (statuses[status] or 0) + 1
    end
    if forbidden and status < 300 and body and string.find(body, forbidden, 1, true) then
        leaks = leaks + 1
    end
end

if not forbidden then
    response = nil
end

function done(summary, latency, requests)
    local total_answers, total_errors, total_leaks = 0, 0, 0
    local seen = {}
    for _, thread in ipairs(threads) do
        total_answers = total_answers + thread:get("answers")
        total_errors = total_errors + thread:get("errors")
        total_leaks = total_leaks + thread:get("leaks")
        for status, count in pairs(thread:get("statuses")) do
            seen[status] = (seen[status] or 0) + count
        end
    end
    local parts = {}
    for status, count in pairs(seen) do parts[#parts + 1] = status .. "x" .. count end
    io.write(string.format(
        "CHECKS %d %d %d %s\n", total_answers, total_errors, total_leaks,
        #parts > 0 and table.concat(parts, ",") or "-"
    ))
    io.write(string.format(
        "LATENCY %.1f %.1f %.1f %.1f\n",
        latency:percentile(50) / 1000, latency:percentile(90) / 1000,
        latency:percentile(99) / 1000, latency.max / 1000
    ))
end
