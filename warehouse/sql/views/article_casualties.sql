-- article_casualties: one row per article with figures, the people killed, wounded and arrested in its own incident.
-- figure_ids lists the figures each number was built from.
--
-- `figures` keeps every claim an article makes; this view settles them into one number per
-- category. The rule (also in transforms/figures/README.md):
--
-- 1. Claims are COUNT figures with category KILL, WOUND, SHOOT (hit by gunfire, outcome not
--    stated) or ARREST, of scope 'incident' (this article's event: not other_event, aggregate or
--    hypothetical), that validation found plausible (figures.plausible).
-- 2. An account is everything one source states (source_entity_id); unattributed claims form
--    one account of their own.
-- 3. Within an account a claim is either
--      standalone  ("four gang members being killed", "a man was shot and killed"): a restatement
--                  of the same toll, so standalone claims are not added: the largest one counts;
--      additive    (figures.additive, from the extractor: its text says other/others/additional/another/more: "three other cartel
--                  members", "Oseguera and two others", "another man"): people beyond the
--                  standalone claim they follow in the text (same category and account), so they
--                  are added to it: "one man was declared dead, and another man died" is 2, and
--                  "14 killed and 21 others wounded" is 21 wounded (others than the killed). A reflexive
--                  ("killing his five children as well as his wife ... before killing himself") is additive
--                  too: the one who killed the others is one more. ("he shot and killed another man": the
--                  extractor leaves "another" out of the text when it contrasts with someone who is no
--                  casualty, here the agent; that claim is standalone.)
--    A standalone claim and the additive claims after it form a group; groups restate the toll like
--    standalone claims do: the largest counts. A claim repeated word for word in a group counts once.
-- 4. Conflicting accounts of the same event are not added: the article takes the largest account
--    total, i.e. the most complete report (tolls are revised upwards as bodies are found).
-- 5. wounded = the larger of the WOUND total and the people shot but not reported dead
--    (SHOOT total - killed), never below 0.
-- 6. In an article that reports a death, implicit singular WOUND claims ("he was taken to a
--    hospital", "the victim": no number in the text) are that victim before they died. A text that
--    says someone else ("another man", "a third teenager") is not implicit: that one is wounded.
-- 7. Victims named once each are different people: in an account, implicit singular claims whose object
--    is a full name ("Quintonio LeGrier"; "a neighbor, 55-year-old Bettie Jones" → "Bettie Jones"; the
--    extractor resolves "LeGrier" to "Quintonio LeGrier") count one victim per distinct surname, and this
--    count is one more restatement of the toll (the largest counts). Pronouns, "the victim" and single
--    words the extractor could not resolve to a full name count no extra victim.
-- 8. A perpetrator who dies is a person killed: in an account, the largest KILL claim whose people are
--    perpetrators (figures.role: "the suspect was found dead") adds to the largest claim about everyone
--    else ("Davidson has died"): 2. (GVDB's gold counts victims only, so this costs it an article a half.)
--
-- figure_ids: the claims behind killed, wounded and arrested (the largest account's largest group, or
-- its named victims), so a reader can see how each number was built.
--
-- Example, the seed: the White House says three other/additional cartel members were killed
-- (account totals 3); the defence ministry says four were killed at the scene and "Oseguera and
-- two others" died later (4 + 3 = 7): killed = 7. wounded = 3, arrested = 2.
create or replace view article_casualties as
with claims as (
    select
        figure_id,
        article_id,
        category,
        -- An unattributed additive claim continues the account of the claim it follows ("Chief Vance said one of
        -- the women was shot in the car. The other woman was shot in the face": both are his).
        coalesce(
            source_entity_id,
            case when coalesce(additive, false) then lag(source_entity_id) over (partition by article_id, category order by start_char) end,
            ''
        ) as account,
        value,
        start_char,
        coalesce(object, '') as object,
        -- figures published before additive and scope existed (NULL after a migration) count as standalone
        -- claims of the article's incident, as that release summed them, until the article is re-extracted.
        coalesce(additive, false) as additive,
        -- 8. A perpetrator who dies is one more person killed (wounded perpetrators are not told apart).
        category = 'KILL' and coalesce(role = 'perpetrator', false) as perpetrator,
        -- An implicit singular ("the victim", "he", "Ibanez"): no number in its text, and no word that
        -- makes it someone else ("another man", "a third teenager").
        value = 1 and not regexp_matches(text, '(?i)\d|\b(one|single|other|others|additional|another|more|second|third|fourth|fifth)\b') as implicit,
        -- 7. A named victim: an implicit singular whose object is a person's name ("Quintonio LeGrier",
        --    "a neighbor, 55-year-old Bettie Jones" → "Bettie Jones"); the surname tells people apart.
        case
            when value = 1 and not regexp_matches(text, '(?i)\d|\b(one|single)\b') and regexp_matches(object, '^[A-Z]\S* ')
            then regexp_extract(object, '([^ ]+)$', 1)
        end as surname
    from figures
    where kind = 'COUNT'
      and category in ('KILL', 'WOUND', 'SHOOT', 'ARREST')
      and coalesce(scope, 'incident') = 'incident'
      and plausible
      and value is not null
),

killed_articles as (
    select distinct article_id from claims where category = 'KILL' and value > 0
),

kept_claims as (
    -- 6. An implicit victim taken to hospital or injured in an article that reports a death is that
    --    victim before they died ("he was taken to a hospital where he died"), not another wounded.
    select *
    from claims
    where not (category = 'WOUND' and implicit and article_id in (select article_id from killed_articles))
),

grouped_claims as (
    -- 3. An additive claim adds to the standalone claim it follows ("one man was declared dead, and
    --    another man died": 2); a group is a standalone claim and the additive claims after it.
    select
        *,
        count(*) filter (where not additive) over (
            partition by article_id, category, account order by start_char rows between unbounded preceding and current row
        ) as group_no
    from kept_claims
),

distinct_claims as (
    -- A claim repeated word for word in a group counts once (its ids are all kept).
    select article_id, category, account, group_no, value, object, additive, perpetrator, list(figure_id order by start_char) as figure_ids
    from grouped_claims
    group by article_id, category, account, group_no, value, object, additive, perpetrator
),

group_totals as (
    select
        article_id,
        category,
        account,
        coalesce(max(value) filter (where not additive), 0)
            + coalesce(sum(value) filter (where additive), 0) as total,
        flatten(list(figure_ids)) as figure_ids,
        -- The group's standalone claim says who it counts.
        coalesce(bool_or(perpetrator) filter (where not additive), false) as perpetrator
    from distinct_claims
    group by article_id, category, account, group_no
),

named_victims as (
    -- 7. Victims named once each are different people: as many as the surnames.
    select article_id, category, account, count(distinct surname) as total, list(figure_id order by start_char) as figure_ids,
        false as perpetrator
    from kept_claims
    where surname is not null and not additive
    group by article_id, category, account
),

role_totals as (
    -- Standalone claims and groups restate one toll: the largest counts, and so do the named victims;
    -- separately for the perpetrators and for everyone else.
    select article_id, category, account, perpetrator, max(total) as total, arg_max(figure_ids, total) as figure_ids
    from (
        select article_id, category, account, perpetrator, total, figure_ids from group_totals
        union all
        select article_id, category, account, perpetrator, total, figure_ids from named_victims
    )
    group by article_id, category, account, perpetrator
),

account_totals as (
    -- 8. A perpetrator who dies is a person killed beyond the victims ("Doctor shot ... Suspect found dead"
    --    is 2): the largest claim about the perpetrators adds to the largest about everyone else.
    select
        article_id,
        category,
        account,
        greatest(max(total), sum(total)) as total,
        case
            when sum(total) > max(total) then flatten(list(figure_ids))
            else arg_max(figure_ids, total)
        end as figure_ids
    from role_totals
    group by article_id, category, account
),

article_totals as (
    -- 4. Conflicting accounts are not added: the largest account (ties: the first account by name).
    select
        article_id,
        category,
        max(total) as total,
        arg_max(figure_ids, (total, account)) as figure_ids
    from account_totals
    group by article_id, category
),

by_category as (
    select
        article_id,
        max(total) filter (where category = 'KILL') as killed,
        max(total) filter (where category = 'WOUND') as wounded,
        max(total) filter (where category = 'SHOOT') as shot,
        max(total) filter (where category = 'ARREST') as arrested,
        list_sort(list_distinct(flatten(list(figure_ids)))) as figure_ids
    from article_totals
    group by article_id
),

summary as (
    select
        article_id,
        coalesce(killed, 0)::bigint as killed,
        greatest(coalesce(wounded, 0), coalesce(shot, 0) - coalesce(killed, 0), 0)::bigint as wounded,
        coalesce(arrested, 0)::bigint as arrested,
        figure_ids::varchar[] as figure_ids
    from by_category
)

select * from summary
