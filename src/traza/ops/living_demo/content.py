"""What the living demo holds: an invented provincial municipality, its open government plan
and everything around it, written as data. Dates are offsets in days from two anchors:
``H`` (history: the day the demo was first loaded; the co-creation, the approved
commitments, the answered contributions, the progress reports) and ``L`` (the living
present: the running consultation, the events ahead, the self-assessment open for comment,
the contributions still waiting; ``--refresh-dates`` moves it to today).

Every text here is fiction, in the plain Spanish of the people who would write it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FICTIONAL = "datos ficticios de demostración"
MEMBER = {
    "slug": "ejemplo-municipalidad-provincial",
    "name": "Municipalidad Provincial de Ejemplo (ficticia)",
    "kind": "local",
    "member_since": None,
}
PLAN_NUMBER = 1
# The plan's co-creation starts this many days before H: how H is found again.
CO_CREATION_BEFORE_H = 240
# The running consultation starts this many days before L: how L is found again.
CONSULTATION_BEFORE_L = 10
CONSULTATION_KEY = "consulta-actualizacion"

THEMES = [
    ("ejemplo-transparencia", "Transparencia municipal (demostración)"),
    ("ejemplo-integridad", "Integridad en las contrataciones (demostración)"),
    ("ejemplo-participacion", "Participación vecinal (demostración)"),
    ("ejemplo-seguridad", "Seguridad ciudadana vecinal (demostración)"),
    ("ejemplo-ambiente", "Ambiente urbano y residuos (demostración)"),
]

# slug, name, acronym, sector, civil-society type
ORGANIZATIONS = [
    ("ejemplo-mpe", "Municipalidad Provincial de Ejemplo", "MPE", "public", ""),
    (
        "ejemplo-gpp",
        "Gerencia de Planeamiento y Presupuesto (Municipalidad de Ejemplo)",
        "GPP",
        "public",
        "",
    ),
    (
        "ejemplo-logistica",
        "Subgerencia de Logística (Municipalidad de Ejemplo)",
        "SGL",
        "public",
        "",
    ),
    (
        "ejemplo-seguridad",
        "Gerencia de Seguridad Ciudadana (Municipalidad de Ejemplo)",
        "GSC",
        "public",
        "",
    ),
    (
        "ejemplo-ambiente",
        "Gerencia de Gestión Ambiental (Municipalidad de Ejemplo)",
        "GGA",
        "public",
        "",
    ),
    ("ejemplo-secretaria", "Secretaría General (Municipalidad de Ejemplo)", "SG", "public", ""),
    ("ejemplo-juntas", "Red de Juntas Vecinales de Ejemplo", "", "civil_society", "grassroots"),
    ("ejemplo-ciudad-abierta", "Colectivo Ciudad Abierta de Ejemplo", "", "civil_society", "ngo"),
    ("ejemplo-universidad", "Universidad Nacional de Ejemplo", "UNE", "civil_society", "academia"),
    ("ejemplo-camara", "Cámara de Comercio de Ejemplo", "", "civil_society", "private_company"),
    (
        "ejemplo-mujeres",
        "Asociación de Mujeres Emprendedoras de Ejemplo",
        "",
        "civil_society",
        "grassroots",
    ),
    ("ejemplo-radio", "Radio Comunitaria Voz de Ejemplo", "", "civil_society", "other"),
]


def plan_values(period_start: int) -> dict:
    """The plan's text; its dates are computed from H by the builder."""
    return {
        "title": (
            "Plan de Gobierno Abierto de la Municipalidad Provincial de Ejemplo "
            f"{period_start}-{period_start + 2} — {FICTIONAL}"
        ),
        "stage": "implementation",
        "approval_instrument": "Resolución de Alcaldía N° 000-EJEMPLO (ficticia)",
        "notes": (
            "Datos ficticios de demostración. Este plan, su municipalidad, sus personas, sus "
            "aportes y sus fechas fueron inventados para mostrar Traza funcionando: la "
            "cocreación, las respuestas fundamentadas, el origen de cada compromiso, el "
            "avance y el foro. Las fechas se calculan a partir del día en que se cargó la "
            "demostración. La historia real está en el plan de Perú 2017-2019."
        ),
    }


@dataclass
class EventSpec:
    key: str
    kind: str
    title: str
    anchor: str  # "h" or "l"
    day: int
    hours: tuple[int, int] = (9, 13)
    days_long: int = 0
    place: str = ""
    online_url: str = ""
    description: str = ""
    themes: tuple[str, ...] = ()
    region: str = ""
    announced: int = -22  # days before it starts
    registration: tuple[int, int] | None = None  # opens, closes: days from the anchor
    capacity: int | None = None
    organiser: str = "ejemplo-mpe"
    # attendance: state, civil society, others, and the civil-society organisations by type
    tally: tuple[int, int, int, str] | None = None
    evidence: tuple[str, ...] = ()  # "minutes", "photo"

    @property
    def living(self) -> bool:
        return self.anchor == "l"


EVENTS = [
    EventSpec(
        "induccion",
        "induction",
        "Taller de inducción: ¿qué es el gobierno abierto y cómo participar?",
        "h",
        -238,
        hours=(17, 20),
        place="Auditorio municipal, Plaza de Armas s/n",
        description="Para vecinas, vecinos y organizaciones que participarán en las mesas.",
        tally=(9, 31, 4, "juntas vecinales 14, ONG 7, academia 5, gremios 2, otras 3"),
        evidence=("photo",),
    ),
    EventSpec(
        "mesa-transparencia",
        "thematic_table",
        "Mesa temática: transparencia e integridad en las contrataciones",
        "h",
        -225,
        place="Biblioteca municipal, sala 2",
        themes=("ejemplo-transparencia", "ejemplo-integridad"),
        tally=(12, 18, 2, "ONG 6, juntas vecinales 5, academia 4, gremios 3"),
        evidence=("minutes", "photo"),
    ),
    EventSpec(
        "mesa-participacion",
        "thematic_table",
        "Mesa temática: participación vecinal y seguridad ciudadana",
        "h",
        -218,
        place="Biblioteca municipal, sala 2",
        themes=("ejemplo-participacion", "ejemplo-seguridad"),
        tally=(10, 22, 3, "juntas vecinales 11, ONG 5, organizaciones juveniles 4, academia 2"),
        evidence=("minutes", "photo"),
    ),
    EventSpec(
        "taller-san-isidro",
        "regional_workshop",
        "Taller distrital en San Isidro de Ejemplo",
        "h",
        -210,
        hours=(10, 14),
        place="Local comunal del sector 4, San Isidro de Ejemplo",
        region="San Isidro de Ejemplo",
        themes=("ejemplo-ambiente", "ejemplo-participacion"),
        tally=(6, 41, 5, "juntas vecinales 26, comedores populares 8, ONG 4, academia 3"),
        evidence=("minutes", "photo"),
    ),
    EventSpec(
        "consulta-borrador",
        "virtual_consultation",
        "Consulta virtual del borrador del plan",
        "h",
        -200,
        hours=(0, 23),
        days_long=20,
        online_url="https://ejemplo.invalid/consulta-borrador",
        description="Veinte días para comentar el borrador de los cinco compromisos.",
    ),
    EventSpec(
        "reunion-ambiente",
        "technical_meeting",
        "Reunión técnica con la Gerencia de Gestión Ambiental",
        "h",
        -175,
        hours=(15, 17),
        place="Gerencia de Gestión Ambiental, oficina 3",
        themes=("ejemplo-ambiente",),
        organiser="ejemplo-ambiente",
        announced=-7,  # convened at a week's notice, as technical meetings often are
        tally=(5, 4, 0, "academia 2, ONG 1, juntas vecinales 1"),
        evidence=("minutes",),
    ),
    EventSpec(
        "mesa-validacion",
        "national_table",
        "Mesa de validación provincial del plan",
        "h",
        -168,
        hours=(9, 16),
        place="Auditorio municipal, Plaza de Armas s/n",
        tally=(14, 25, 3, "juntas vecinales 10, ONG 7, academia 4, gremios 4"),
        evidence=("minutes", "photo"),
    ),
    EventSpec(
        "presentacion-plan",
        "presentation",
        "Presentación pública del plan aprobado",
        "h",
        -130,
        hours=(18, 20),
        place="Plaza de Armas (al aire libre)",
        tally=(15, 60, 30, "juntas vecinales 28, ONG 12, academia 8, gremios 6, otras 6"),
        evidence=("photo",),
    ),
    EventSpec(
        "rendicion-semestre",
        "presentation",
        "Rendición de cuentas del primer semestre de implementación",
        "h",
        -40,
        hours=(18, 20),
        place="Auditorio municipal, Plaza de Armas s/n",
        tally=(11, 34, 6, "juntas vecinales 16, ONG 9, academia 5, gremios 4"),
        evidence=("minutes", "photo"),
    ),
    EventSpec(
        CONSULTATION_KEY,
        "virtual_consultation",
        "Consulta virtual: propuestas para la actualización de medio término",
        "l",
        -CONSULTATION_BEFORE_L,
        hours=(0, 23),
        days_long=30,
        online_url="https://ejemplo.invalid/consulta-actualizacion",
        description=(
            "Treinta días para proponer y comentar los nuevos compromisos de la "
            "actualización de medio término (propuestas 6 y 7)."
        ),
        announced=-20,
    ),
    EventSpec(
        "taller-actualizacion",
        "regional_workshop",
        "Taller distrital de actualización del plan",
        "l",
        12,
        hours=(10, 13),
        place="Local comunal de Villa Ejemplo",
        region="Villa Ejemplo",
        themes=("ejemplo-participacion", "ejemplo-integridad"),
        announced=-37,
        registration=(-12, 10),
        capacity=40,
    ),
    EventSpec(
        "presentacion-avances",
        "presentation",
        "Presentación pública de avances y de la autoevaluación",
        "l",
        25,
        hours=(18, 20),
        place="Auditorio municipal, Plaza de Armas s/n",
        online_url="https://ejemplo.invalid/transmision",
        announced=-35,
        registration=(-20, 24),
        capacity=120,
    ),
]


@dataclass
class MilestoneSpec:
    text: str
    starts: int
    ends: int
    deliverable: str = ""
    verification: str = ""


@dataclass
class CommitmentSpec:
    number: int
    theme: str
    lead: str
    supporting: tuple[str, ...]
    # the text as first proposed, then as changed by the contributions (None: not changed)
    proposed: dict
    changed: dict | None
    changed_reason: str
    milestones: list[MilestoneSpec] = field(default_factory=list)
    values: tuple[str, ...] = ()
    status: str = "approved"  # approved, proposal or discarded
    decision_reason: str = ""
    origin_event: str = ""


COMMITMENTS = [
    CommitmentSpec(
        1,
        "ejemplo-participacion",
        "ejemplo-gpp",
        ("ejemplo-juntas",),
        proposed={
            "title": "Presupuesto participativo con información en línea",
            "summary": "Publicar en línea los proyectos priorizados en el presupuesto participativo.",
            "problem": "Los vecinos priorizan obras cada año pero no saben si se ejecutan ni cuánto cuestan.",
            "change_sought": "Que cualquier vecino pueda ver qué se priorizó y en qué estado está.",
            "origin": "Mesa temática de participación vecinal y seguridad ciudadana.",
        },
        changed={
            "title": "Presupuesto participativo con seguimiento ciudadano en línea",
            "summary": (
                "Publicar en línea los proyectos priorizados, con su costo, avance y fotos, y "
                "recibir los comentarios de los vecinos; rendir cuentas en asamblea en cada "
                "distrito, con reuniones en fin de semana y virtuales."
            ),
            "problem": "Los vecinos priorizan obras cada año pero no saben si se ejecutan ni cuánto cuestan.",
            "change_sought": (
                "Que cualquier vecino pueda seguir cada obra priorizada y que la municipalidad "
                "responda por su avance en público."
            ),
            "origin": (
                "Mesa temática de participación vecinal y seguridad ciudadana; cambiado por los "
                "aportes de las mesas, del taller distrital y de la consulta virtual."
            ),
        },
        changed_reason=(
            "Incorpora el seguimiento de obras con fotos, las reuniones en fin de semana y "
            "virtuales, la rendición de cuentas por distrito y un indicador de resultado, "
            "por los aportes recibidos en la cocreación."
        ),
        milestones=[
            MilestoneSpec(
                "Publicar en línea la cartera del presupuesto participativo con su estado",
                -120,
                -60,
                "Página de la cartera",
                "Enlace público",
            ),
            MilestoneSpec(
                "Habilitar el seguimiento de obras con fotos y comentarios de los vecinos",
                -60,
                120,
                "Módulo de seguimiento",
                "Enlace y reporte de uso",
            ),
            MilestoneSpec(
                "Rendir cuentas en una asamblea pública por distrito",
                120,
                600,
                "Actas de las asambleas",
                "Actas publicadas",
            ),
        ],
        values=("access_to_information", "civic_participation", "public_accountability"),
        origin_event="mesa-participacion",
    ),
    CommitmentSpec(
        2,
        "ejemplo-integridad",
        "ejemplo-logistica",
        ("ejemplo-ciudad-abierta", "ejemplo-secretaria"),
        proposed={
            "title": "Publicar las contrataciones municipales grandes",
            "summary": "Publicar en la web las contrataciones de más de 100 000 soles.",
            "problem": "Las compras municipales solo se conocen por el portal nacional, difícil de usar.",
            "change_sought": "Que las compras grandes se conozcan en la web municipal.",
            "origin": "Mesa temática de transparencia e integridad.",
        },
        changed={
            "title": "Todas las contrataciones municipales en datos abiertos",
            "summary": (
                "Publicar todas las contrataciones, sin umbral, en datos abiertos descargables "
                "según un estándar internacional, con un buscador de proveedores y sus "
                "penalidades, a más tardar cinco días hábiles después de firmado cada contrato."
            ),
            "problem": "Las compras municipales solo se conocen por el portal nacional, difícil de usar.",
            "change_sought": "Que cualquier persona pueda descargar, buscar y vigilar cada compra.",
            "origin": (
                "Mesa temática de transparencia e integridad; cambiado por los aportes de la mesa, "
                "de la consulta virtual y de un colectivo ciudadano por correo."
            ),
        },
        changed_reason=(
            "Quita el umbral de 100 000 soles, pide datos abiertos descargables y un buscador "
            "de proveedores, y fija un plazo de cinco días hábiles, por los aportes recibidos."
        ),
        milestones=[
            MilestoneSpec(
                "Publicar en datos abiertos las contrataciones del año",
                -120,
                -30,
                "Conjunto de datos",
                "Enlace de descarga",
            ),
            MilestoneSpec(
                "Publicar los contratos y adendas con un buscador de proveedores",
                -30,
                200,
                "Buscador público",
                "Enlace y capturas",
            ),
            MilestoneSpec(
                "Capacitar a veedores ciudadanos en el uso de los datos",
                200,
                500,
                "Talleres",
                "Listas de asistencia",
            ),
        ],
        values=("access_to_information", "public_accountability", "technology_innovation"),
        origin_event="mesa-transparencia",
    ),
    CommitmentSpec(
        3,
        "ejemplo-seguridad",
        "ejemplo-seguridad",
        ("ejemplo-juntas",),
        proposed={
            "title": "Mesas vecinales de seguridad ciudadana",
            "summary": "Instalar mesas vecinales de seguridad en los distritos.",
            "problem": "Los vecinos no saben qué hace el serenazgo con sus denuncias.",
            "change_sought": "Que los vecinos participen en la seguridad de su barrio.",
            "origin": "Mesa temática de participación vecinal y seguridad ciudadana.",
        },
        changed={
            "title": "Mesas vecinales de seguridad con rendición de cuentas y mapa del delito abierto",
            "summary": (
                "Instalar mesas vecinales de seguridad en los ocho distritos, abiertas a las "
                "juntas vecinales y a las personas con discapacidad, donde el serenazgo rinde "
                "cuentas cada tres meses; publicar el mapa del delito y las acciones tomadas."
            ),
            "problem": "Los vecinos no saben qué hace el serenazgo con sus denuncias.",
            "change_sought": "Que el serenazgo responda ante los vecinos con datos públicos.",
            "origin": "Mesa temática; cambiado por los aportes de la mesa, de la consulta y de una junta vecinal.",
        },
        changed_reason=(
            "Añade la rendición de cuentas trimestral, el mapa del delito abierto y la "
            "participación de las personas con discapacidad, por los aportes recibidos."
        ),
        milestones=[
            MilestoneSpec(
                "Instalar mesas vecinales de seguridad en los ocho distritos",
                -110,
                30,
                "Mesas instaladas",
                "Actas de instalación",
            ),
            MilestoneSpec(
                "Publicar cada trimestre el mapa del delito y las acciones tomadas",
                30,
                400,
                "Mapa y reporte",
                "Enlace público",
            ),
        ],
        values=("civic_participation", "public_accountability"),
        origin_event="mesa-participacion",
    ),
    CommitmentSpec(
        4,
        "ejemplo-ambiente",
        "ejemplo-ambiente",
        ("ejemplo-universidad",),
        proposed={
            "title": "Información sobre el recojo de residuos",
            "summary": "Informar a los vecinos sobre el servicio de limpieza pública.",
            "problem": "Hay quejas por el recojo irregular de residuos y por el humo de las ladrilleras.",
            "change_sought": "Que los vecinos estén informados.",
            "origin": "Taller distrital en San Isidro de Ejemplo.",
        },
        changed={
            "title": "Monitoreo ciudadano de la calidad del aire y del recojo de residuos",
            "summary": (
                "Publicar la ruta y el horario del recojo de residuos y los reclamos atendidos; "
                "instalar estaciones de medición del aire con datos públicos, validados por la "
                "universidad, y un informe anual hecho con los colegios y los vecinos."
            ),
            "problem": "Hay quejas por el recojo irregular de residuos y por el humo de las ladrilleras.",
            "change_sought": "Que los vecinos puedan vigilar el servicio y el aire que respiran con datos.",
            "origin": "Taller distrital; cambiado por los aportes del taller, de la consulta y de la reunión técnica.",
        },
        changed_reason=(
            "Añade la medición pública del aire validada por la universidad y el horario del "
            "recojo de residuos, por los aportes del taller distrital, de la consulta virtual y "
            "de la reunión técnica con la Gerencia de Gestión Ambiental."
        ),
        milestones=[
            MilestoneSpec(
                "Instalar estaciones de medición del aire con datos públicos",
                -120,
                -20,
                "Estaciones y datos",
                "Enlace a los datos",
            ),
            MilestoneSpec(
                "Publicar la ruta, el horario del recojo y los reclamos atendidos",
                -20,
                150,
                "Página del servicio",
                "Enlace público",
            ),
            MilestoneSpec(
                "Informe anual de calidad ambiental con la universidad y los colegios",
                300,
                600,
                "Informe",
                "Informe publicado",
            ),
        ],
        values=("access_to_information", "civic_participation"),
        origin_event="taller-san-isidro",
    ),
    CommitmentSpec(
        5,
        "ejemplo-transparencia",
        "ejemplo-secretaria",
        (),
        proposed={
            "title": "Ventanilla de acceso a la información pública",
            "summary": "Una ventanilla para las solicitudes de acceso a la información.",
            "problem": "Las solicitudes de información se pierden entre oficinas y vencen los plazos.",
            "change_sought": "Que las solicitudes se atiendan a tiempo.",
            "origin": "Mesa temática de transparencia e integridad.",
        },
        changed={
            "title": "Ventanilla única de acceso a la información con plazos visibles",
            "summary": (
                "Una ventanilla única, presencial y en línea, donde cada solicitud muestra su "
                "plazo y su responsable; guía en castellano y en quechua; capacitación a los "
                "dirigentes vecinales; informe semestral de solicitudes atendidas y denegadas."
            ),
            "problem": "Las solicitudes de información se pierden entre oficinas y vencen los plazos.",
            "change_sought": "Que cualquiera sepa en qué va su solicitud y quién responde por ella.",
            "origin": "Mesa temática; cambiado por los aportes del taller distrital, de la consulta y de la mesa de validación.",
        },
        changed_reason=(
            "Añade la guía en quechua, la capacitación a dirigentes y un responsable con nombre "
            "y cargo para cada solicitud, por los aportes recibidos."
        ),
        milestones=[
            MilestoneSpec(
                "Ventanilla única en línea con seguimiento de plazos",
                -100,
                60,
                "Ventanilla en línea",
                "Enlace público",
            ),
            MilestoneSpec(
                "Informe semestral de solicitudes atendidas y denegadas",
                60,
                500,
                "Informes",
                "Informes publicados",
            ),
        ],
        values=("access_to_information",),
        origin_event="mesa-transparencia",
    ),
    CommitmentSpec(
        6,
        "ejemplo-integridad",
        "ejemplo-secretaria",
        (),
        proposed={
            "title": "Registro público de visitas y agendas de las autoridades (propuesta)",
            "summary": (
                "Publicar cada semana las visitas y las reuniones del alcalde, de los regidores "
                "y de los gerentes, con los temas tratados."
            ),
            "problem": "No se sabe con quién se reúnen las autoridades ni de qué hablan.",
            "change_sought": "Que las reuniones de las autoridades sean públicas.",
            "origin": "Propuesta para la actualización de medio término, retomada de un aporte de la mesa temática.",
        },
        changed=None,
        changed_reason="",
        values=("access_to_information", "public_accountability"),
        status="proposal",
    ),
    CommitmentSpec(
        7,
        "ejemplo-participacion",
        "ejemplo-gpp",
        ("ejemplo-radio",),
        proposed={
            "title": "Consejo consultivo juvenil del plan (propuesta)",
            "summary": "Un consejo de jóvenes de los ocho distritos que opine sobre los compromisos.",
            "problem": "Los jóvenes casi no participan en las mesas.",
            "change_sought": "Que los jóvenes tengan un espacio propio en el plan.",
            "origin": "Propuesta para la actualización de medio término.",
        },
        changed=None,
        changed_reason="",
        values=("civic_participation",),
        status="proposal",
    ),
    CommitmentSpec(
        8,
        "ejemplo-participacion",
        "ejemplo-mpe",
        (),
        proposed={
            "title": "Wifi gratuito en todas las plazas (propuesta descartada)",
            "summary": "Instalar wifi gratuito en las plazas de los ocho distritos.",
            "origin": "Taller distrital en San Isidro de Ejemplo.",
        },
        changed=None,
        changed_reason="",
        status="discarded",
        decision_reason=(
            "La mesa de validación lo descartó: es un servicio útil, pero no abre información "
            "ni crea participación en las decisiones (no se relaciona con los valores de OGP). "
            "Se trasladó al plan de gobierno digital de la municipalidad."
        ),
        origin_event="taller-san-isidro",
    ),
]


@dataclass
class ResponseSpec:
    outcome: str
    text: str
    body: str  # deciding body
    day: int  # decided on, days from the contribution's anchor
    reason: str = ""
    versions: tuple[int, ...] = ()  # commitments whose changed version it made
    forwarded: str = ""
    sector: str = ""  # organisation of a technical meeting


@dataclass
class ContributionSpec:
    key: str
    channel: str
    day: int
    text: str
    event: str = ""
    theme: str = ""
    commitment: int | None = None
    author: str = ""
    organization: str = ""
    show: bool = False
    hour: int = 11
    response: ResponseSpec | None = None
    self_assessment: bool = False
    evidence: str = ""  # "photo" or "pdf": a scan or an attachment
    draft: ResponseSpec | None = None  # a draft waiting in the workbench
    seconds: int = 0  # participants who second it (living round only)


R = ResponseSpec
C = ContributionSpec
ALREADY_PUBLISHED = "La planilla y las remuneraciones ya se publican en el Portal de Transparencia Estándar de la municipalidad, que se actualiza cada mes."

# Contributions of the history (anchor H): the co-creation and the first months of
# implementation. All answered but one, which is overdue.
HISTORY = [
    # Mesa temática: transparencia e integridad (H-225)
    C(
        "mt1-01",
        "event",
        -225,
        "Que la municipalidad publique todas las compras, no solo las grandes. En mi barrio se hizo una losa deportiva y nadie supo cuánto costó.",
        "mesa-transparencia",
        "ejemplo-integridad",
        2,
        "Rosa Quispe",
        "Red de Juntas Vecinales de Ejemplo",
        True,
        response=R(
            "adopted",
            "Se acoge: el compromiso 2 ya no tiene umbral y publicará todas las contrataciones, cualquiera sea su monto.",
            "thematic_table",
            -170,
            versions=(2,),
        ),
    ),
    C(
        "mt1-02",
        "event",
        -225,
        "Pedimos que los contratos se publiquen en un formato que se pueda descargar y buscar, no en fotos escaneadas que nadie puede leer.",
        "mesa-transparencia",
        "ejemplo-integridad",
        2,
        "Luis Salazar",
        "Colectivo Ciudad Abierta de Ejemplo",
        True,
        response=R(
            "partially_adopted",
            "Se acoge en parte: los datos de cada contrato se publicarán en datos abiertos descargables; los documentos firmados seguirán escaneados como respaldo, porque digitalizarlos de nuevo no tiene presupuesto este año.",
            "thematic_table",
            -170,
            versions=(2,),
        ),
    ),
    C(
        "mt1-03",
        "event",
        -225,
        "Crear un buscador de proveedores donde se vea qué empresas tienen penalidades u obras atrasadas con la municipalidad.",
        "mesa-transparencia",
        "ejemplo-integridad",
        2,
        response=R(
            "merged",
            "Se integró con el aporte sobre datos abiertos de contrataciones: el compromiso 2 incluye un buscador de proveedores con sus penalidades.",
            "thematic_table",
            -170,
            versions=(2,),
        ),
    ),
    C(
        "mt1-04",
        "event",
        -225,
        "Que los regidores publiquen su declaración jurada de intereses en la web de la municipalidad.",
        "mesa-transparencia",
        "ejemplo-transparencia",
        response=R(
            "not_adopted",
            "No se acoge: la declaración jurada de intereses la regula una norma nacional y la recibe un órgano nacional; la municipalidad no puede exigir otra distinta. Se enlazará la que ya es pública.",
            "thematic_table",
            -170,
            reason="outside_competence",
        ),
    ),
    C(
        "mt1-05",
        "event",
        -225,
        "Transmitir en vivo las sesiones de concejo para que los vecinos las veamos.",
        "mesa-transparencia",
        "ejemplo-transparencia",
        response=R(
            "not_adopted",
            "Ya se hace: las sesiones de concejo se transmiten en vivo por la página de la municipalidad desde el año pasado, dentro del programa de comunicación institucional.",
            "thematic_table",
            -170,
            reason="already_done",
        ),
    ),
    C(
        "mt1-06",
        "event",
        -225,
        "Que el portal de transparencia tenga un asistente automático que responda las preguntas de los vecinos a cualquier hora.",
        "mesa-transparencia",
        "ejemplo-transparencia",
        response=R(
            "not_adopted",
            "No se acoge en este plan: un asistente así no tiene presupuesto asignado en los dos años del plan. La ventanilla única (compromiso 5) atenderá las consultas.",
            "thematic_table",
            -170,
            reason="no_budget",
        ),
    ),
    C(
        "mt1-07",
        "event",
        -225,
        "Publicar el registro de visitas del alcalde y de los gerentes, con quién se reúnen y de qué temas hablan.",
        "mesa-transparencia",
        "ejemplo-integridad",
        response=R(
            "not_adopted",
            "No se acoge por ahora: la mesa consideró que primero hace falta una ordenanza que lo regule. Se retoma en la actualización de medio término, donde hoy se discute como propuesta 6.",
            "thematic_table",
            -170,
            reason="other",
        ),
    ),
    # Mesa temática: participación y seguridad (H-218)
    C(
        "mt2-01",
        "event",
        -218,
        "Que el presupuesto participativo tenga una página donde se vea en qué va cada obra, con fotos, porque priorizamos y después no sabemos nada.",
        "mesa-participacion",
        "ejemplo-participacion",
        1,
        "Juana Mamani",
        "Red de Juntas Vecinales de Ejemplo",
        True,
        response=R(
            "adopted",
            "Se acoge: el compromiso 1 publicará el avance de cada obra priorizada con fotos y recibirá comentarios de los vecinos.",
            "thematic_table",
            -170,
            versions=(1,),
        ),
    ),
    C(
        "mt2-02",
        "event",
        -218,
        "Los vecinos de las zonas altas no podemos bajar a las reuniones de noche. Que haya reuniones los domingos y también virtuales.",
        "mesa-participacion",
        "ejemplo-participacion",
        1,
        response=R(
            "partially_adopted",
            "Se acoge en parte: las asambleas del compromiso 1 serán en fin de semana y con conexión virtual; no es posible hacerlas en cada zona alta, se harán una por distrito.",
            "thematic_table",
            -170,
            versions=(1,),
        ),
    ),
    C(
        "mt2-03",
        "event",
        -218,
        "Mesas de seguridad por barrio donde el serenazgo nos rinda cuentas cada tres meses.",
        "mesa-participacion",
        "ejemplo-seguridad",
        3,
        "Pedro Huamán",
        "",
        True,
        response=R(
            "adopted",
            "Se acoge: el compromiso 3 incluye la rendición de cuentas trimestral del serenazgo en cada mesa vecinal.",
            "thematic_table",
            -170,
            versions=(3,),
        ),
    ),
    C(
        "mt2-04",
        "event",
        -218,
        "Que el serenazgo use cámaras en el uniforme para evitar abusos.",
        "mesa-participacion",
        "ejemplo-seguridad",
        response=R(
            "not_adopted",
            "No se acoge: grabar a las personas en la calle exige reglas de protección de datos personales que una municipalidad no puede dictar sola; no es viable legalmente dentro del plan.",
            "thematic_table",
            -170,
            reason="legally_unviable",
        ),
    ),
    C(
        "mt2-05",
        "event",
        -218,
        "Dar un bono a los vecinos que denuncien delitos.",
        "mesa-participacion",
        "ejemplo-seguridad",
        response=R(
            "out_of_scope",
            "Está fuera del alcance del plan: es un incentivo económico, no una acción que abra información o decisiones a la ciudadanía.",
            "thematic_table",
            -170,
            reason="unrelated_to_values",
        ),
    ),
    C(
        "mt2-06",
        "event",
        -218,
        "Publicar un mapa del delito con los datos de las denuncias, para saber dónde hay más robos.",
        "mesa-participacion",
        "ejemplo-seguridad",
        3,
        response=R(
            "merged",
            "Se integró con el aporte de las mesas de seguridad: el compromiso 3 publicará cada trimestre el mapa del delito y las acciones tomadas.",
            "thematic_table",
            -170,
            versions=(3,),
        ),
    ),
    C(
        "mt2-07",
        "event",
        -218,
        "Que los jóvenes tengamos un espacio propio en el plan, no solo en las mesas de adultos.",
        "mesa-participacion",
        "ejemplo-participacion",
        None,
        "Diego Torres",
        "",
        True,
        response=R(
            "forwarded",
            "Se derivó a la Gerencia de Desarrollo Social, que organiza los espacios de juventud; la idea vuelve en la actualización de medio término como propuesta 7.",
            "thematic_table",
            -170,
            forwarded="Gerencia de Desarrollo Social (Municipalidad de Ejemplo)",
        ),
    ),
    # Taller distrital en San Isidro de Ejemplo (H-210)
    C(
        "td-01",
        "event",
        -210,
        "En nuestro distrito el camión de la basura pasa cuando quiere. Que publiquen el horario y la ruta.",
        "taller-san-isidro",
        "ejemplo-ambiente",
        4,
        "Carmen Rojas",
        "Junta vecinal del sector 4",
        True,
        response=R(
            "adopted",
            "Se acoge: el compromiso 4 publicará la ruta y el horario del recojo y los reclamos atendidos.",
            "regional_workshop",
            -170,
            versions=(4,),
        ),
    ),
    C(
        "td-02",
        "event",
        -210,
        "El humo de las ladrilleras nos enferma a los niños. Queremos saber cómo está el aire que respiramos.",
        "taller-san-isidro",
        "ejemplo-ambiente",
        4,
        response=R(
            "adopted",
            "Se acoge: el compromiso 4 instalará estaciones de medición del aire con datos públicos.",
            "regional_workshop",
            -170,
            versions=(4,),
        ),
    ),
    C(
        "td-03",
        "event",
        -210,
        "Arreglar la pista de la avenida principal, que está llena de huecos.",
        "taller-san-isidro",
        "",
        response=R(
            "out_of_scope",
            "Está fuera del alcance del plan: es una obra de mantenimiento vial. Se registró el pedido en la Gerencia de Obras.",
            "regional_workshop",
            -170,
            reason="unrelated_to_values",
        ),
    ),
    C(
        "td-04",
        "event",
        -210,
        "Que el agua potable llegue todos los días y no solo tres veces por semana.",
        "taller-san-isidro",
        "",
        response=R(
            "forwarded",
            "El servicio de agua no lo presta la municipalidad: se derivó el pedido a la empresa prestadora, que debe responder al sector 4.",
            "regional_workshop",
            -170,
            forwarded="Empresa Prestadora de Servicios de Saneamiento de Ejemplo",
        ),
    ),
    C(
        "td-05",
        "event",
        -210,
        "Que la municipalidad informe cuánto cobra de arbitrios y en qué se gasta ese dinero.",
        "taller-san-isidro",
        "ejemplo-participacion",
        1,
        response=R(
            "partially_adopted",
            "Se acoge en parte: la rendición de cuentas por distrito del compromiso 1 incluirá el gasto de los arbitrios del distrito; el detalle por vivienda no.",
            "regional_workshop",
            -170,
            versions=(1,),
        ),
    ),
    C(
        "td-06",
        "event",
        -210,
        "Capacitar a los dirigentes vecinales en cómo pedir información pública y qué hacer si no responden.",
        "taller-san-isidro",
        "ejemplo-transparencia",
        5,
        response=R(
            "adopted",
            "Se acoge: el compromiso 5 incluye la capacitación a los dirigentes vecinales.",
            "regional_workshop",
            -170,
            versions=(5,),
        ),
    ),
    C(
        "td-07",
        "event",
        -210,
        "Horario del recojo de basura en la web y por WhatsApp, por favor.",
        "taller-san-isidro",
        "ejemplo-ambiente",
        4,
        response=R(
            "duplicate",
            "Es el mismo pedido que el aporte sobre la ruta y el horario del recojo, ya acogido en el compromiso 4.",
            "regional_workshop",
            -170,
        ),
    ),
    C(
        "td-08",
        "event",
        -210,
        "Wifi gratis en todas las plazas para que los chicos hagan sus tareas.",
        "taller-san-isidro",
        "ejemplo-participacion",
        8,
        response=R(
            "not_adopted",
            "No se acoge: la mesa de validación descartó la propuesta de wifi en plazas porque no se relaciona con los valores de gobierno abierto; se trasladó al plan de gobierno digital.",
            "national_table",
            -168,
            reason="unrelated_to_values",
        ),
    ),
    # Consulta virtual del borrador (H-200 a H-180)
    C(
        "cv-01",
        "virtual_forum",
        -198,
        "El borrador del compromiso 2 no dice en qué plazo se publicarán los contratos. Sugiero máximo cinco días hábiles después de firmados.",
        "consulta-borrador",
        "ejemplo-integridad",
        2,
        "María Fernández",
        "",
        True,
        response=R(
            "adopted",
            "Se acoge: el compromiso 2 fija un plazo de cinco días hábiles.",
            "secretariat",
            -170,
            versions=(2,),
        ),
    ),
    C(
        "cv-02",
        "virtual_forum",
        -196,
        "Falta un indicador de resultado en el compromiso del presupuesto participativo, no solo contar páginas publicadas.",
        "consulta-borrador",
        "ejemplo-participacion",
        1,
        response=R(
            "adopted",
            "Se acoge: el compromiso 1 mide cuántos vecinos siguen las obras en línea, no solo cuántas se publican.",
            "secretariat",
            -170,
            versions=(1,),
        ),
    ),
    C(
        "cv-03",
        "virtual_forum",
        -195,
        "¿Quién va a vigilar que las estaciones del aire funcionen bien? Propongo que la universidad valide los datos.",
        "consulta-borrador",
        "ejemplo-ambiente",
        4,
        "Ana Paredes",
        "Universidad Nacional de Ejemplo",
        True,
        response=R(
            "adopted",
            "Se acoge: la universidad validará los datos de calidad del aire del compromiso 4.",
            "secretariat",
            -170,
            versions=(4,),
        ),
    ),
    C(
        "cv-04",
        "virtual_forum",
        -193,
        "Que la ventanilla de información también atienda en quechua.",
        "consulta-borrador",
        "ejemplo-transparencia",
        5,
        response=R(
            "partially_adopted",
            "Se acoge en parte: la guía de la ventanilla se publicará en quechua; la atención en quechua depende de contratar personal, sin presupuesto este año.",
            "secretariat",
            -170,
            versions=(5,),
        ),
    ),
    C(
        "cv-05",
        "virtual_forum",
        -190,
        "Los compromisos deberían decir cuánto presupuesto tienen.",
        "consulta-borrador",
        "ejemplo-transparencia",
        response=R(
            "not_adopted",
            "Ya se hace: el presupuesto de cada compromiso figura en el plan operativo institucional publicado en el portal de transparencia.",
            "secretariat",
            -170,
            reason="already_done",
        ),
    ),
    C(
        "cv-06",
        "virtual_forum",
        -188,
        "Hacer una aplicación para reportar baches y postes sin luz.",
        "consulta-borrador",
        "",
        response=R(
            "not_adopted",
            "No se acoge: reportar averías es un servicio valioso, pero no abre información ni crea participación en las decisiones; no se relaciona con los valores de gobierno abierto.",
            "secretariat",
            -170,
            reason="unrelated_to_values",
        ),
    ),
    C(
        "cv-07",
        "virtual_forum",
        -186,
        "Que se publiquen las actas de las mesas temáticas para saber qué se dijo.",
        "consulta-borrador",
        "",
        response=R(
            "adopted",
            "Se acoge: las actas de todas las mesas están publicadas en el repositorio del plan y en la página de cada evento.",
            "secretariat",
            -170,
        ),
    ),
    C(
        "cv-08",
        "virtual_forum",
        -184,
        "Incluir a las personas con discapacidad en las mesas de seguridad; nadie nos pregunta.",
        "consulta-borrador",
        "ejemplo-seguridad",
        3,
        "Jorge Medina",
        "",
        True,
        response=R(
            "adopted",
            "Se acoge: las mesas vecinales del compromiso 3 invitarán a las organizaciones de personas con discapacidad y serán accesibles.",
            "secretariat",
            -170,
            versions=(3,),
        ),
    ),
    C(
        "cv-09",
        "virtual_forum",
        -183,
        "Que se vea en qué van las obras del presupuesto participativo, con fotos.",
        "consulta-borrador",
        "ejemplo-participacion",
        1,
        response=R(
            "duplicate",
            "Coincide con el aporte de la mesa temática sobre el seguimiento de obras, ya acogido en el compromiso 1.",
            "secretariat",
            -170,
        ),
    ),
    C(
        "cv-10",
        "virtual_forum",
        -182,
        "¿Por qué no se publica cuánto gana cada funcionario?",
        "consulta-borrador",
        "ejemplo-transparencia",
        response=R("not_adopted", ALREADY_PUBLISHED, "secretariat", -170, reason="already_done"),
    ),
    # Correos y cartas durante la cocreación
    C(
        "co-01",
        "email",
        -205,
        "Adjuntamos una propuesta para publicar las contrataciones con un estándar internacional de datos abiertos, como hacen otras ciudades.",
        "",
        "ejemplo-integridad",
        2,
        "",
        "Colectivo Ciudad Abierta de Ejemplo",
        True,
        hour=22,
        evidence="pdf",
        response=R(
            "merged",
            "Se integró con los aportes de la mesa temática: el compromiso 2 publicará los datos según un estándar internacional.",
            "secretariat",
            -170,
            versions=(2,),
        ),
    ),
    C(
        "co-02",
        "email",
        -202,
        "Solicito que el plan incluya un compromiso sobre el cuidado de los parques del distrito.",
        "",
        "ejemplo-ambiente",
        response=R(
            "not_adopted",
            "No se acoge en este plan: no hay presupuesto para un compromiso nuevo sobre parques en estos dos años.",
            "secretariat",
            -170,
            reason="no_budget",
        ),
    ),
    C(
        "co-03",
        "email",
        -199,
        "Los mercados municipales deberían publicar las tarifas de los puestos.",
        "",
        "ejemplo-transparencia",
        response=R(
            "forwarded",
            "Se derivó a la Gerencia de Desarrollo Económico, que administra los mercados y publicará las tarifas en su página.",
            "secretariat",
            -170,
            forwarded="Gerencia de Desarrollo Económico (Municipalidad de Ejemplo)",
        ),
    ),
    C(
        "co-04",
        "email",
        -192,
        "Propongo que el alcalde rinda cuentas dos veces al año en cada distrito.",
        "",
        "ejemplo-participacion",
        1,
        "Elena Vargas",
        "",
        True,
        response=R(
            "partially_adopted",
            "Se acoge en parte: habrá una asamblea de rendición de cuentas al año en cada distrito (compromiso 1); dos al año no caben en el calendario del plan.",
            "secretariat",
            -170,
            versions=(1,),
        ),
    ),
    C(
        "co-05",
        "letter",
        -190,
        "La junta vecinal del sector 4 solicita integrar la mesa de seguridad de su distrito y recibir los datos de las denuncias del barrio.",
        "",
        "ejemplo-seguridad",
        3,
        "",
        "Junta vecinal del sector 4",
        True,
        evidence="photo",
        response=R(
            "adopted",
            "Se acoge: las juntas vecinales integran las mesas de seguridad y recibirán el mapa del delito de su zona (compromiso 3).",
            "technical_meeting",
            -175,
            versions=(3,),
            sector="ejemplo-seguridad",
        ),
    ),
    C(
        "co-06",
        "letter",
        -188,
        "Pedimos un semáforo en el cruce frente al colegio, los niños cruzan con peligro.",
        "",
        "",
        response=R(
            "forwarded",
            "Se derivó a la Gerencia de Transporte Urbano, que evaluará el cruce y responderá a la asociación de padres.",
            "secretariat",
            -170,
            forwarded="Gerencia de Transporte Urbano (Municipalidad de Ejemplo)",
        ),
    ),
    C(
        "co-07",
        "letter",
        -160,
        "Las empresas locales queremos capacitación para venderle a la municipalidad.",
        "",
        "ejemplo-integridad",
        None,
        "",
        "Cámara de Comercio de Ejemplo",
        True,
        response=R(
            "out_of_scope",
            "Está fuera del alcance del plan: capacitar a proveedores corresponde al organismo nacional de contrataciones, que ofrece cursos gratuitos; se les envió la información.",
            "secretariat",
            -150,
            reason="outside_competence",
        ),
    ),
    C(
        "co-08",
        "email",
        -150,
        "Solicitamos que el plan se publique también en lectura fácil.",
        "",
        "ejemplo-transparencia",
        None,
        "",
        "Asociación de Mujeres Emprendedoras de Ejemplo",
        True,
        response=R(
            "adopted",
            "Se acoge: la versión de lectura fácil del plan está en el repositorio.",
            "secretariat",
            -135,
        ),
    ),
    # Reunión técnica con la Gerencia de Gestión Ambiental (H-175)
    C(
        "rt-01",
        "event",
        -175,
        "Que el informe ambiental se haga con la universidad y con los colegios del distrito.",
        "reunion-ambiente",
        "ejemplo-ambiente",
        4,
        response=R(
            "adopted",
            "Se acoge: el compromiso 4 incluye un informe anual hecho con la universidad y los colegios.",
            "technical_meeting",
            -175,
            versions=(4,),
            sector="ejemplo-ambiente",
        ),
    ),
    C(
        "rt-02",
        "event",
        -175,
        "Medir también el ruido de la avenida, no solo el aire.",
        "reunion-ambiente",
        "ejemplo-ambiente",
        response=R(
            "not_adopted",
            "No se acoge en este plan: los equipos para medir ruido no tienen presupuesto asignado.",
            "technical_meeting",
            -175,
            reason="no_budget",
            sector="ejemplo-ambiente",
        ),
    ),
    # Mesa de validación (H-168)
    C(
        "mv-01",
        "event",
        -168,
        "Cada compromiso debe tener un responsable con nombre y cargo, para saber a quién reclamar.",
        "mesa-validacion",
        "ejemplo-transparencia",
        5,
        "Luis Salazar",
        "Colectivo Ciudad Abierta de Ejemplo",
        True,
        response=R(
            "adopted",
            "Se acoge: cada compromiso nombra su institución responsable y la ventanilla única nombra al responsable de cada solicitud.",
            "national_table",
            -168,
            versions=(5, 1),
        ),
    ),
    C(
        "mv-02",
        "event",
        -168,
        "La propuesta de wifi en las plazas no es de gobierno abierto; mejor concentrarnos en lo que sí abre información.",
        "mesa-validacion",
        "ejemplo-participacion",
        8,
        response=R(
            "adopted",
            "Se acoge: la mesa descartó la propuesta de wifi en las plazas, con su razón pública.",
            "national_table",
            -168,
        ),
    ),
    C(
        "mv-03",
        "event",
        -168,
        "Insistimos en las cámaras en el uniforme del serenazgo.",
        "mesa-validacion",
        "ejemplo-seguridad",
        response=R(
            "not_adopted",
            "No se acoge: como se respondió en la mesa temática, exige reglas de protección de datos que la municipalidad no puede dictar; no es viable legalmente.",
            "national_table",
            -168,
            reason="legally_unviable",
        ),
    ),
    # Presentación del plan (H-130) y rendición del semestre (H-40)
    C(
        "pp-01",
        "event",
        -130,
        "Que la presentación de avances se haga también en los distritos y no solo en la plaza.",
        "presentacion-plan",
        "ejemplo-participacion",
        response=R(
            "adopted",
            "Se acoge: la próxima presentación de avances será también transmitida y habrá talleres distritales.",
            "secretariat",
            -120,
        ),
    ),
    C(
        "rs-01",
        "event",
        -40,
        "El reporte del compromiso 3 no dice cuántas mesas de seguridad ya se instalaron.",
        "rendicion-semestre",
        "ejemplo-seguridad",
        3,
        response=R(
            "adopted",
            "Se acoge: el avance del compromiso 3 se mide ahora con el número de mesas instaladas (indicador publicado).",
            "secretariat",
            -30,
        ),
    ),
    C(
        "rs-02",
        "event",
        -40,
        "¿Por qué está atrasado el buscador de contratos del compromiso 2?",
        "rendicion-semestre",
        "ejemplo-integridad",
        2,
        response=R(
            "forwarded",
            "Se derivó a la Subgerencia de Logística, responsable del hito, que explicará el retraso en la próxima sesión del comité.",
            "secretariat",
            -30,
            forwarded="Subgerencia de Logística (Municipalidad de Ejemplo)",
        ),
    ),
    # Durante la implementación
    C(
        "im-01",
        "web_form",
        -95,
        "¿Dónde puedo ver en qué va la obra del mercado de la zona norte?",
        "",
        "ejemplo-participacion",
        None,
        hour=20,
        response=R(
            "out_of_scope",
            "Es una consulta, no una propuesta para el plan: la obra está en la página del presupuesto participativo (compromiso 1), sección zona norte.",
            "secretariat",
            -90,
            reason="other",
        ),
    ),
    C(
        "im-02",
        "web_form",
        -80,
        "Sugiero que los datos de contrataciones se actualicen cada semana y no cada mes.",
        "",
        "ejemplo-integridad",
        2,
        "Martín Cárdenas",
        "",
        True,
        hour=9,
        response=R(
            "adopted",
            "Se acoge: desde este mes los datos de contrataciones se actualizan cada semana.",
            "secretariat",
            -70,
        ),
    ),
    C(
        "fm-01",
        "forum_member",
        -118,
        "Como miembro del comité propongo que cada sesión empiece revisando los reportes de avance.",
        "",
        "",
        None,
        "Luis Salazar",
        "Colectivo Ciudad Abierta de Ejemplo",
        True,
        response=R(
            "adopted",
            "Se acoge: el orden del día de cada sesión empieza por los reportes de avance.",
            "forum",
            -118,
        ),
    ),
    C(
        "fi-01",
        "forum_input",
        -70,
        "Desde la radio comunitaria pedimos que las sesiones del comité se transmitan para quienes no pueden asistir.",
        "",
        "ejemplo-participacion",
        None,
        "",
        "Radio Comunitaria Voz de Ejemplo",
        True,
        response=R(
            "partially_adopted",
            "Se acoge en parte: las sesiones serán híbridas, con enlace público; la transmisión por radio queda a cargo de la radio.",
            "forum",
            -60,
        ),
    ),
    # Sin responder y vencido
    C(
        "im-03",
        "letter",
        -45,
        "Presenté una solicitud de acceso a la información hace dos meses y no me responden. Pido que el plan incluya sanciones para las oficinas que no contestan.",
        "",
        "ejemplo-transparencia",
        5,
        "",
        "",
        False,
        hour=10,
        evidence="photo",
    ),
]

# The living round (anchor L): contributions of the last days, some answered at once, some
# pending, some still waiting (so the workbench has work). Each refresh answers the previous
# round's waiting ones and receives a new round.
ROUND = [
    C(
        "01",
        "virtual_forum",
        -8,
        "Que el registro de visitas muestre también las reuniones virtuales del alcalde, no solo las presenciales.",
        CONSULTATION_KEY,
        "ejemplo-integridad",
        6,
        "Sofía Ramos",
        "",
        True,
        seconds=4,
        response=R(
            "adopted",
            "Se acoge: la propuesta 6 incluirá las reuniones virtuales.",
            "secretariat",
            -2,
        ),
    ),
    C(
        "02",
        "web_form",
        -7,
        "El consejo juvenil debería tener voto y no solo voz.",
        CONSULTATION_KEY,
        "ejemplo-participacion",
        7,
        "Kevin Ccori",
        "Colectivo Juventudes por Ejemplo",
        True,
        response=R("pending", "", "secretariat", -1),
    ),
    C(
        "03",
        "virtual_forum",
        -6,
        "Propongo un compromiso para publicar las compras de emergencia que se hacen en la temporada de lluvias.",
        CONSULTATION_KEY,
        "ejemplo-integridad",
        response=R(
            "pending", "Se evaluará en el taller distrital de actualización.", "secretariat", -1
        ),
    ),
    C(
        "04",
        "email",
        -5,
        "Que la actualización incluya publicar las licencias de funcionamiento que otorga la municipalidad.",
        "",
        "ejemplo-transparencia",
        hour=23,
        draft=R(
            "partially_adopted",
            "Se acoge en parte: se publicarán las licencias otorgadas cada mes; el expediente completo no, porque contiene datos personales.",
            "secretariat",
            0,
        ),
    ),
    C(
        "05",
        "web_form",
        -4,
        "¿Se puede proponer un compromiso sobre el transporte público? Las combis no respetan los paraderos.",
        CONSULTATION_KEY,
        "",
        hour=21,
    ),
    C(
        "06",
        "virtual_forum",
        -3,
        "Las agendas de las autoridades deberían publicarse antes de las reuniones, no después.",
        CONSULTATION_KEY,
        "ejemplo-integridad",
        6,
        seconds=7,
    ),
    C(
        "07",
        "web_form",
        -2,
        "La autoevaluación dice que el hito de contrataciones está completo, pero en el portal faltan los contratos del último mes.",
        "",
        "ejemplo-integridad",
        2,
        self_assessment=True,
        hour=19,
    ),
    C(
        "08",
        "email",
        -1,
        "Felicito el avance del monitoreo del aire; sugiero publicar los datos por hora y no solo el promedio del día.",
        "",
        "ejemplo-ambiente",
        4,
        "Ana Paredes",
        "Universidad Nacional de Ejemplo",
        True,
        self_assessment=True,
        response=R(
            "adopted",
            "Se acoge: los datos horarios de las estaciones se publicarán desde el próximo mes.",
            "secretariat",
            0,
        ),
    ),
]

# How a refresh answers what the previous round left waiting (by the round item's number).
ROUND_CLOSING = {
    "02": R(
        "partially_adopted",
        "Se acoge en parte: el consejo juvenil tendrá voto en la priorización de sus propias iniciativas y voz en el resto.",
        "secretariat",
        0,
    ),
    "03": R(
        "adopted",
        "Se acoge: la actualización del plan incluye publicar las compras de emergencia en la temporada de lluvias.",
        "secretariat",
        0,
    ),
    "04": R(
        "partially_adopted",
        "Se acoge en parte: se publicarán las licencias otorgadas cada mes; el expediente completo no, porque contiene datos personales.",
        "secretariat",
        0,
    ),
    "05": R(
        "forwarded",
        "Se derivó a la Gerencia de Transporte Urbano, que fiscaliza los paraderos.",
        "secretariat",
        0,
        forwarded="Gerencia de Transporte Urbano (Municipalidad de Ejemplo)",
    ),
    "06": R(
        "adopted",
        "Se acoge: la propuesta 6 publicará las agendas con una semana de anticipación.",
        "secretariat",
        0,
    ),
    "07": R(
        "adopted",
        "Se acoge: se publicaron los contratos que faltaban y se corrigió la autoevaluación.",
        "secretariat",
        0,
    ),
}

# The public discussion of the two proposals (during the running consultation).
DISCUSSION = [
    (
        6,
        "Me parece muy bien, pero que también se publiquen las reuniones con empresas que son proveedoras.",
        "Sofía Ramos",
        "Gracias: la propuesta se ajustará para marcar las reuniones con proveedores del municipio.",
        "ejemplo-secretaria",
        R(
            "adopted",
            "Se acoge: la propuesta 6 marcará las reuniones con proveedores de la municipalidad.",
            "secretariat",
            0,
        ),
    ),
    (
        7,
        "Que el consejo juvenil tenga representantes de los ocho distritos, no solo del centro.",
        "Kevin Ccori",
        "Así está previsto: un representante por distrito, elegido en asamblea juvenil.",
        "ejemplo-gpp",
        R(
            "adopted",
            "Se acoge: la propuesta 7 prevé un representante por distrito.",
            "secretariat",
            0,
        ),
    ),
]

# Progress: (commitment, milestone, status, percent, fact day, narrative, evidence kind,
# review "accepted"/"returned"/"" (waiting), review comment)
PROGRESS = [
    (
        1,
        1,
        "complete",
        100,
        -62,
        "Se publicó la cartera del presupuesto participativo con el estado de las 24 obras priorizadas.",
        "pdf",
        "accepted",
        "",
    ),
    (
        1,
        2,
        "in_progress",
        40,
        -12,
        "El módulo de seguimiento está en pruebas en dos distritos; 310 vecinos dejaron comentarios.",
        "link",
        "accepted",
        "",
    ),
    (
        2,
        1,
        "complete",
        100,
        -33,
        "Se publicaron en datos abiertos las 412 contrataciones del año, descargables en CSV y JSON.",
        "photo",
        "accepted",
        "",
    ),
    (
        2,
        2,
        "in_progress",
        30,
        -8,
        "Avanza el buscador de proveedores.",
        "link",
        "returned",
        "Adjunte el enlace al buscador en pruebas y diga cuántas adendas están publicadas.",
    ),
    (
        3,
        1,
        "in_progress",
        60,
        -15,
        "Se instalaron cinco de las ocho mesas vecinales de seguridad, con sus actas.",
        "pdf",
        "accepted",
        "",
    ),
    (
        4,
        1,
        "complete",
        100,
        -22,
        "Se instalaron cuatro estaciones de medición del aire; sus datos se publican cada día.",
        "photo",
        "accepted",
        "",
    ),
    (
        4,
        2,
        "in_progress",
        50,
        -5,
        "Se publicó la ruta del recojo en tres de los ocho distritos.",
        "link",
        "",
        "",
    ),
    (
        5,
        1,
        "in_progress",
        25,
        -20,
        "La ventanilla en línea recibe solicitudes; falta el seguimiento de plazos.",
        "link",
        "accepted",
        "",
    ),
]

# Indicators: (commitment, key, name, level, unit, baseline, target, target day,
# measurements as (day, value))
INDICATORS = [
    (
        1,
        "vecinos-siguen-obras",
        "Vecinos que siguen en línea las obras priorizadas",
        "outcome",
        "personas",
        0,
        2000,
        600,
        [(-60, 120), (-30, 310), (-10, 540)],
    ),
    (
        2,
        "contrataciones-abiertas",
        "Contrataciones del año publicadas en datos abiertos",
        "output",
        "%",
        0,
        100,
        -30,
        [(-90, 20), (-60, 45), (-33, 100)],
    ),
    (
        3,
        "mesas-instaladas",
        "Mesas vecinales de seguridad instaladas",
        "output",
        "mesas",
        0,
        8,
        30,
        [(-60, 2), (-15, 5)],
    ),
    (
        4,
        "estaciones-aire",
        "Estaciones de medición del aire con datos públicos",
        "output",
        "estaciones",
        0,
        4,
        -20,
        [(-50, 2), (-22, 4)],
    ),
    (
        5,
        "solicitudes-a-tiempo",
        "Solicitudes de información respondidas dentro del plazo",
        "outcome",
        "%",
        38,
        90,
        500,
        [(-40, 52), (-10, 61)],
    ),
]

FORUM: dict[str, Any] = {
    "name": "Comité Multiactor de Gobierno Abierto de Ejemplo (ficticio)",
    "established": -400,
    "instrument": "Ordenanza Municipal N° 000-EJEMPLO (ficticia)",
    "description": (
        "Datos ficticios de demostración. Comité de cuatro representantes de la municipalidad y "
        "cuatro de la sociedad civil, elegidos por convocatoria pública, que acompaña la "
        "cocreación y el seguimiento del plan."
    ),
}
# person, organisation, sector, subsector, role, decision power, selection
MEMBERS = [
    (
        "Alcalde (ficticio) Ricardo Núñez",
        "ejemplo-mpe",
        "government",
        "subnational",
        "co_chair",
        True,
        "appointment",
    ),
    (
        "Gerente (ficticia) Patricia León",
        "ejemplo-gpp",
        "government",
        "subnational",
        "member",
        True,
        "appointment",
    ),
    (
        "Secretaria general (ficticia) Gloria Chávez",
        "ejemplo-secretaria",
        "government",
        "subnational",
        "member",
        False,
        "appointment",
    ),
    (
        "Gerente (ficticio) Óscar Villanueva",
        "ejemplo-ambiente",
        "government",
        "subnational",
        "member",
        False,
        "appointment",
    ),
    (
        "Luis Salazar (ficticio)",
        "ejemplo-ciudad-abierta",
        "non_government",
        "civil_society",
        "co_chair",
        False,
        "open_call",
    ),
    (
        "Rosa Quispe (ficticia)",
        "ejemplo-juntas",
        "non_government",
        "civil_society",
        "member",
        False,
        "election",
    ),
    (
        "Ana Paredes (ficticia)",
        "ejemplo-universidad",
        "non_government",
        "academia",
        "member",
        False,
        "open_call",
    ),
    (
        "Teresa Huanca (ficticia)",
        "ejemplo-camara",
        "non_government",
        "private_sector",
        "member",
        False,
        "open_call",
    ),
    (
        "Julio Ramos (ficticio)",
        "ejemplo-radio",
        "non_government",
        "civil_society",
        "alternate",
        False,
        "open_call",
    ),
]
RULES = [
    (
        "mandate",
        "El comité acompaña la cocreación, el seguimiento y la evaluación del plan de gobierno abierto; sus acuerdos sobre el plan obligan a la municipalidad a responder por escrito en 30 días.",
        -380,
    ),
    (
        "participation_rules",
        "Sesiona al menos cada dos meses, en forma híbrida; sus sesiones son abiertas al público con voz; las actas se publican en cinco días hábiles; la sociedad civil propone la mitad del orden del día.",
        -380,
    ),
]
# day, modality, agenda, open to non-members, other attendance, minutes, decisions (text, binding, commitment)
SessionSpec = tuple[int, str, str, bool, int, str, list[tuple[str, bool, int | None]]]
SESSIONS: list[SessionSpec] = [
    (
        -370,
        "in_person",
        "Instalación del comité y aprobación del mandato y de las reglas de participación.",
        True,
        12,
        "Se instaló el comité y se aprobaron por consenso el mandato y las reglas.",
        [],
    ),
    (
        -300,
        "hybrid",
        "Metodología y calendario de la cocreación.",
        True,
        8,
        "Se aprobó la metodología de mesas temáticas, taller distrital y consulta virtual.",
        [
            (
                "Publicar el calendario de cocreación al menos dos semanas antes de la primera mesa.",
                True,
                None,
            )
        ],
    ),
    (
        -240,
        "hybrid",
        "Inicio de la cocreación: temas de las mesas.",
        True,
        15,
        "Se eligieron los cinco temas a partir de las propuestas del taller de inducción.",
        [],
    ),
    (
        -180,
        "hybrid",
        "Revisión del borrador del plan y de las respuestas a los aportes.",
        True,
        20,
        "Se revisaron las respuestas a los aportes de las mesas y de la consulta virtual.",
        [
            (
                "El comité aprueba los cinco compromisos del plan; la municipalidad se obliga a implementarlos tal como fueron aprobados y a responder por escrito cualquier cambio.",
                True,
                None,
            )
        ],
    ),
    (
        -120,
        "remote",
        "Inicio de la implementación: cronograma de hitos.",
        False,
        0,
        "Cada gerencia presentó el cronograma de sus hitos.",
        [],
    ),
    (
        -60,
        "hybrid",
        "Primer seguimiento de los reportes de avance.",
        True,
        9,
        "Se revisaron los reportes de avance; se pidió a Logística explicar el retraso del buscador.",
        [("Logística presentará un cronograma corregido del hito 2 del compromiso 2.", True, 2)],
    ),
    (
        -10,
        "hybrid",
        "Preparación de la actualización de medio término y de la autoevaluación.",
        True,
        14,
        "Se acordó abrir la consulta de actualización y publicar la autoevaluación para comentarios.",
        [],
    ),
]
UPCOMING_SESSION = (
    30,
    "hybrid",
    "Próxima sesión: respuestas a la consulta de actualización y a los comentarios de la autoevaluación.",
)

DOCUMENTS = [
    # kind, title, day, event key, lines
    (
        "methodology",
        "Metodología de cocreación del plan (ficticia)",
        -255,
        "",
        [
            "Mesas temáticas, taller distrital, consulta virtual y mesa de validación.",
            "Calendario publicado con dos semanas de anticipación.",
        ],
    ),
    (
        "minutes",
        "Acta de la mesa de validación provincial (ficticia)",
        -168,
        "mesa-validacion",
        [
            "Se validaron cinco compromisos y se descartó una propuesta, con su razón.",
            "Asistieron 42 personas.",
        ],
    ),
    (
        "resolution",
        "Resolución de alcaldía que aprueba el plan (ficticia)",
        -135,
        "",
        [
            "Se aprueba el Plan de Gobierno Abierto de la Municipalidad Provincial de Ejemplo.",
            "Datos ficticios de demostración.",
        ],
    ),
    (
        "action_plan",
        "Plan de gobierno abierto aprobado (ficticio)",
        -135,
        "",
        ["Cinco compromisos, sus hitos y responsables.", "Datos ficticios de demostración."],
    ),
    (
        "action_plan",
        "Plan de gobierno abierto en lectura fácil (ficticio)",
        -130,
        "",
        ["El plan explicado en palabras sencillas.", "Datos ficticios de demostración."],
    ),
]

FIGURES = [
    ("participantes", "participants", 187, [], "Informe de cocreación (ficticio)"),
    (
        "osc-por-tipo",
        "cso_by_type",
        46,
        [["Juntas vecinales", 19], ["ONG", 11], ["Academia", 6], ["Gremios", 5], ["Otras", 5]],
        "Informe de cocreación (ficticio)",
    ),
    (
        "visitas-consulta",
        "consultation_visits",
        1240,
        [],
        "Estadísticas de la consulta virtual (ficticias)",
    ),
]

FAQ = [
    (
        "¿Cómo envío un aporte a un plan?",
        "Mientras una consulta está abierta, en la página del plan aparece «Enviar un aporte». También puede enviarlo por correo, por carta o en cualquier evento: la secretaría lo registra y recibe una respuesta fundamentada pública.",
        10,
    ),
    (
        "¿Qué es una respuesta fundamentada?",
        "Es la decisión escrita y pública sobre cada aporte: si se acogió, se acogió en parte, se integró con otro, se derivó a otra entidad o no se acogió, y por qué. Cada aporte muestra su recorrido hasta el compromiso que cambió.",
        20,
    ),
    (
        "¿Qué significa «datos ficticios de demostración»?",
        "Traza incluye un plan inventado, con fechas que siguen al día en que se cargó, para mostrar todas sus funciones. Sus páginas lo dicen en un aviso. El plan de Perú 2017-2019 es real.",
        30,
    ),
    (
        "¿Cómo sigo un compromiso?",
        "En la página de cada compromiso puede ver su origen, sus versiones, sus hitos y su avance, y suscribirse para recibir novedades por correo.",
        40,
    ),
]

INITIATIVES = [
    (
        "Observatorio Ciudadano de Contrataciones de Ejemplo (ficticio)",
        "initiative",
        "ejemplo-ciudad-abierta",
        "Datos ficticios de demostración. Revisa cada mes los datos abiertos de contrataciones de la municipalidad y publica alertas.",
        "Ejemplo",
        ("ejemplo-integridad",),
        (2,),
    ),
    (
        "Red de Monitores Ambientales Escolares de Ejemplo (ficticia)",
        "network",
        "ejemplo-universidad",
        "Datos ficticios de demostración. Estudiantes de diez colegios miden el aire con la universidad y comparan con las estaciones municipales.",
        "Ejemplo, San Isidro de Ejemplo",
        ("ejemplo-ambiente",),
        (4,),
    ),
]
GOOD_PRACTICES = [
    (
        "Contrataciones abiertas sin umbral (ficticia)",
        "Datos ficticios de demostración. La municipalidad publica todas sus compras en datos abiertos a los cinco días de firmadas, a pedido de la ciudadanía.",
        ["transparency", "accountability", "replicable"],
        "Conjunto de datos publicado y su uso por el observatorio ciudadano.",
        2,
        "",
        -25,
    ),
    (
        "Monitoreo escolar del aire (ficticia)",
        "Datos ficticios de demostración. Los colegios y la universidad validan los datos de calidad del aire.",
        ["participation", "territorial", "results"],
        "Informe de validación de la universidad.",
        None,
        "Red de Monitores Ambientales Escolares de Ejemplo (ficticia)",
        -15,
    ),
]

# What the approved commitments say of the status quo and of how they help (added when the
# contributions changed them: a good commitment states both).
STATUS_QUO = {
    1: (
        "La cartera del presupuesto participativo es un cuadro en PDF que se publica una vez al año, sin avance ni fotos.",
        "Con el avance de cada obra y un espacio para comentar, los vecinos vigilan y la municipalidad responde en público.",
    ),
    2: (
        "Solo las compras de más de 100 000 soles se conocen, y únicamente en el portal nacional.",
        "Con todos los datos descargables, cualquier persona, periodista u observatorio puede detectar sobrecostos y retrasos.",
    ),
    3: (
        "Las denuncias vecinales se registran en cuadernos; no se publica qué se hizo con ellas.",
        "Las mesas y el mapa del delito hacen que el serenazgo rinda cuentas con datos ante los vecinos.",
    ),
    4: (
        "No hay medición pública del aire; el horario del recojo de residuos no se publica.",
        "Con datos públicos y validados, los vecinos pueden exigir mejoras con pruebas.",
    ),
    5: (
        "Una de cada tres solicitudes de información se responde fuera de plazo y nadie sabe quién la tiene.",
        "Un plazo visible y un responsable con nombre permiten reclamar a tiempo.",
    ),
}
