"""Makes ``Matchmaking`` (``jobfeed.matching.matchmaking``): the
seekers' index (every availability, alerts on or off, followed from the change stream),
candidates per vacancy, invitations, the two lists and the figures. Made once per web
process by the storage resource; the API, the dashboard and the Telegram handlers share it."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from redis.asyncio import Redis

from bot.config import Settings
from bot.factories import quiet_hours
from jobfeed.applications.repository import ApplicationRepository
from jobfeed.keys import Keys
from jobfeed.matching.access import SeekerAccessLog
from jobfeed.matching.candidates import CandidateFinder
from jobfeed.matching.digest import RecruiterDigest
from jobfeed.matching.figures import MatchingFigures
from jobfeed.matching.following import LiveMatches
from jobfeed.matching.invitations import Invitations
from jobfeed.matching.matcher import MatchIndex
from jobfeed.matching.matchmaking import Matchmaking
from jobfeed.matching.reports import Reports
from jobfeed.matching.repository import AvailabilityRepository
from jobfeed.places import Places
from jobfeed.roles import RecruiterRepository
from jobfeed.search.index import SearchIndex
from jobfeed.submissions import SubmissionRepository
from jobfeed.vacancies import VacancyRepository


def make_matchmaking(
    settings: Settings,
    redis: Redis,
    keys: Keys,
    *,
    availabilities: AvailabilityRepository,
    applications: ApplicationRepository,
    vacancies: VacancyRepository,
    places: Places,
    recruiters: RecruiterRepository,
    submissions: SubmissionRepository,
) -> Matchmaking:
    zone = ZoneInfo(settings.timezone)
    index = MatchIndex(SearchIndex(places=places), keep_stopped=True)
    seekers = LiveMatches(index, availabilities, redis, keys)  # loaded on first use
    invitations = Invitations(redis, keys, applications, ttl_days=settings.resume_retention_days)
    candidates = CandidateFinder(seekers, availabilities, applications, invitations)
    return Matchmaking(
        candidates=candidates,
        invitations=invitations,
        reports=Reports(
            seekers,
            vacancies,
            availabilities,
            applications,
            places,
            zone=zone,
            few=settings.report_few_applications,
        ),
        figures=MatchingFigures(redis, keys, applications, invitations, zone),
        access=SeekerAccessLog(redis, keys),
        digest=RecruiterDigest(
            redis,
            keys,
            recruiters=recruiters,
            submissions=submissions,
            vacancies=vacancies,
            availabilities=availabilities,
            applications=applications,
            invitations=invitations,
            candidates=candidates,
            zone=zone,
            quiet=quiet_hours(settings),
        ),
        report_days=settings.report_days,
        zone=zone,
    )
