-- Lines of the new chat files -> one row per conversation. A conversation starts with
--   === Conversation WWI-CS-000001 user 3469 2026-08-01T07:17:52Z ===
-- and runs until the next header; blank lines (NULL) separate them. A header that does not parse,
-- and a line before the first header, go to elt.reject with the file and line number.

with numbered as (
    select l.line_id, l.line, l.elt_file_id, f.path,
           count(*) filter (where l.line like '=== Conversation %')
               over (partition by l.elt_file_id order by l.line_id) as conversation_no,
           row_number() over (partition by l.elt_file_id order by l.line_id) as line_no
    from stg.chat_line l
    join elt.file f on f.file_id = l.elt_file_id
    where l.elt_file_id in ${batch_files}
)
insert into elt.reject (run_id, step, source, file, row_number, raw_value, reason)
select ${run_id}, 'conversations', 'stg.chat_line', path, line_no, line,
       case when conversation_no = 0 then 'line outside a conversation'
            else 'conversation header does not parse' end
from numbered
where (conversation_no = 0 and btrim(coalesce(line, '')) <> '')
   or (line like '=== Conversation %'
       and line !~ '^=== Conversation \S+ user -?\d+ \d{4}-\d\d-\d\dT\S+ ===$');

with numbered as (
    select l.line_id, l.line, l.elt_file_id, f.path,
           count(*) filter (where l.line like '=== Conversation %')
               over (partition by l.elt_file_id order by l.line_id) as conversation_no
    from stg.chat_line l
    join elt.file f on f.file_id = l.elt_file_id
    where l.elt_file_id in ${batch_files}
), header as (
    select elt_file_id, conversation_no, path,
           regexp_match(line, '^=== Conversation (\S+) user (-?\d+) (\d{4}-\d\d-\d\dT\S+) ===$') as m
    from numbered
    where line like '=== Conversation %'
), body as (
    select elt_file_id, conversation_no, count(*) as lines,
           string_agg(line, E'\n' order by line_id) as transcript
    from numbered
    where conversation_no > 0 and btrim(coalesce(line, '')) <> '' and line not like '=== Conversation %'
    group by elt_file_id, conversation_no
)
insert into dw.chat_transcript (conversation_id, user_id, started_at, day, lines, transcript, source_file,
                                load_run_id)
select h.m[1],
       h.m[2]::int,
       h.m[3]::timestamptz,
       (h.m[3]::timestamptz at time zone 'UTC')::date,
       coalesce(b.lines, 0),
       coalesce(b.transcript, ''),
       h.path,
       ${run_id}
from header h
left join body b using (elt_file_id, conversation_no)
where h.m is not null
on conflict (conversation_id) do update
    set user_id = excluded.user_id, started_at = excluded.started_at, day = excluded.day,
        lines = excluded.lines, transcript = excluded.transcript, source_file = excluded.source_file,
        load_run_id = excluded.load_run_id;
