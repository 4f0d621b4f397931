"""The starter Policy Assessment: five sections, one per principle, each about the model
policy that serves it (playbook 1-4), eight questions each, in English, Japanese and Spanish.
The demo world publishes it as version 1; the bench answers it. `build_starter(actor)`
writes it as a published version (once: it returns the existing one)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import (
    Condition,
    ModelPolicy,
    Principle,
    PrincipleKey,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    Section,
)

NAME = "GSCA Policy Assessment"
K = QuestionKind


@dataclass(frozen=True)
class Q:
    name: str
    kind: str
    text: tuple[str, str, str]  # English, Japanese, Spanish
    required: bool = True
    simplified: bool = False
    weight: int = 1
    # (earlier question's name, operator, value)
    rule: tuple[str, str, str] | None = None


# The five model policies of the roadmap's baseline, with a verifiable reference each.
POLICIES = {
    PrincipleKey.PRIVACY: (
        "Privacy Impact Assessment",
        ("Assess the privacy risks of a technology before it is deployed, publish the result and "
        "act on it."), "Privacy Impact Assessment of the City of Helsinki",
        "https://www.hel.fi/en/decision-making/information-on-helsinki/data-protection"),
    PrincipleKey.INTEROPERABILITY: (
        "Open Data",
        ("Publish the city's non-personal data in open formats under an open licence, with a "
        "public catalogue."), "Barcelona Open Data", "https://opendata-ajuntament.barcelona.cat/"),
    PrincipleKey.SUSTAINABILITY: (
        "Dig Once",
        ("Coordinate street works so that ducts for telecommunications are laid whenever a street "
        "is opened."), "United States Federal Highway Administration, Dig Once",
        "https://www.fhwa.dot.gov/policy/otps/policy_brief_dig_once.cfm"),
    PrincipleKey.SECURITY: (
        "Cyber Accountability",
        ("Name an executive accountable for cybersecurity, with a tested incident response plan "
         "and requirements on suppliers."), "NIST Cybersecurity Framework",
        "https://www.nist.gov/cyberframework"),
    PrincipleKey.EQUITY: (
        "ICT Accessibility",
        ("Require every new digital service and website to meet an accessibility standard and keep "
        "a non-digital way to every service."), "Web Content Accessibility Guidelines (WCAG) 2.1",
        "https://www.w3.org/TR/WCAG21/"),
}

SECTIONS: list[tuple[str, str, tuple[str, str, str], list[Q]]] = [
    ("privacy", PrincipleKey.PRIVACY,
     ("Privacy and transparency", "プライバシーと透明性", "Privacidad y transparencia"), [
         Q("privacy_policy", K.YES_PARTIAL_NO, (
             ("Does the city have a published privacy policy that covers all the personal data it "
             "collects?"),
             "市が収集するすべての個人データを対象とする、公開されたプライバシーポリシーがありますか。",
             ("¿Tiene la ciudad una política de privacidad publicada que cubra todos los datos "
             "personales que recoge?")), simplified=True, weight=2),
         Q("privacy_policy_details", K.TEXT, (
             "Where is the policy published, and when was it last updated?",
             "ポリシーはどこで公開されていますか。また、最後に更新されたのはいつですか。",
             "¿Dónde está publicada la política y cuándo se actualizó por última vez?"),
           required=False, rule=("privacy_policy", Condition.NOT_EQUALS, "no")),
         Q("pia", K.YES_PARTIAL_NO, (
             ("Does the city carry out a privacy impact assessment before deploying a technology "
             "that collects personal data?"),
             "個人データを収集する技術を導入する前に、プライバシー影響評価を実施していますか。",
             ("¿Realiza la ciudad una evaluación de impacto en la privacidad antes de implantar "
              "una tecnología que recoge datos personales?")), simplified=True, weight=2),
         Q("pia_maturity", K.MATURITY, (
             "How mature is the city's privacy impact assessment process?",
             "市のプライバシー影響評価のプロセスはどの程度成熟していますか。",
             "¿Qué grado de madurez tiene el proceso de evaluación de impacto en la privacidad?"),
           rule=("pia", Condition.NOT_EQUALS, "no")),
         Q("data_protection_officer", K.YES_PARTIAL_NO, (
             "Has the city appointed a person responsible for data protection?",
             "データ保護の責任者を任命していますか。",
             "¿Ha designado la ciudad a una persona responsable de la protección de datos?")),
         Q("technology_register", K.YES_PARTIAL_NO, (
             ("Does the city publish a register of the technologies it uses in public space that "
             "collect data?"),
             "公共空間で使用しているデータ収集技術の一覧を公開していますか。",
             ("¿Publica la ciudad un registro de las tecnologías que usa en el espacio público y "
             "que recogen datos?"))),
         Q("privacy_complaints", K.NUMBER, (
             "How many privacy complaints did the city receive last year?",
             "昨年度、プライバシーに関する苦情を何件受けましたか。",
             "¿Cuántas quejas sobre privacidad recibió la ciudad el año pasado?"), required=False),
         Q("privacy_evidence", K.EVIDENCE, (
             "Attach or link to the privacy policy or a recent privacy impact assessment.",
             "プライバシーポリシーまたは最近のプライバシー影響評価を添付するか、リンクを記入してください。",
             "Adjunte o enlace la política de privacidad o una evaluación de impacto reciente."),
           required=False),
     ]),
    ("interoperability", PrincipleKey.INTEROPERABILITY,
     ("Interoperability and openness", "相互運用性とオープン性", "Interoperabilidad y apertura"), [
         Q("open_data_policy", K.YES_PARTIAL_NO, (
             "Has the city adopted an open data policy?",
             "オープンデータ方針を定めていますか。",
             "¿Ha adoptado la ciudad una política de datos abiertos?"), simplified=True, weight=2),
         Q("open_data_portal", K.YES_PARTIAL_NO, (
             "Does the city publish datasets on an open data portal under an open licence?",
             "オープンデータポータルで、オープンライセンスのもとデータセットを公開していますか。",
             ("¿Publica la ciudad conjuntos de datos en un portal de datos abiertos con una "
             "licencia abierta?")), simplified=True),
         Q("datasets_published", K.NUMBER, (
             "How many datasets does the portal publish?",
             "ポータルで公開しているデータセットはいくつですか。",
             "¿Cuántos conjuntos de datos publica el portal?"),
           required=False, rule=("open_data_portal", Condition.NOT_EQUALS, "no")),
         Q("open_standards", K.YES_PARTIAL_NO, (
             ("Do the city's procurement rules require open standards and interfaces (APIs) for "
             "new systems?"),
             "新しいシステムの調達で、オープンな標準とインターフェース（API）を要件にしていますか。",
             ("¿Exigen las reglas de contratación de la ciudad estándares e interfaces (API) "
             "abiertos para los sistemas nuevos?")), weight=2),
         Q("data_sharing_maturity", K.MATURITY, (
             "How mature is data sharing between the city's departments?",
             "部署間のデータ共有はどの程度成熟していますか。",
             ("¿Qué grado de madurez tiene el intercambio de datos entre los departamentos de la "
             "ciudad?"))),
         Q("data_portability", K.YES_PARTIAL_NO, (
             ("Do the city's technology contracts let it take its data and move to another "
             "supplier?"),
             "技術関連の契約で、市がデータを引き取り、別の事業者に移行できるようになっていますか。",
             ("¿Permiten los contratos tecnológicos que la ciudad se lleve sus datos y cambie de "
             "proveedor?"))),
         Q("open_standards_example", K.TEXT, (
             "Describe a recent project where open standards made a difference.",
             "オープンな標準が役立った最近の事業について記述してください。",
             ("Describa un proyecto reciente en el que los estándares abiertos marcaron la "
             "diferencia.")), required=False),
         Q("open_data_evidence", K.EVIDENCE, (
             "Link to the open data portal or attach the open data policy.",
             "オープンデータポータルへのリンクを記入するか、オープンデータ方針を添付してください。",
             "Enlace el portal de datos abiertos o adjunte la política de datos abiertos."),
           required=False),
     ]),
    ("sustainability", PrincipleKey.SUSTAINABILITY,
     ("Operational and financial sustainability", "運用・財政の持続可能性",
      "Sostenibilidad operativa y financiera"), [
         Q("dig_once", K.YES_PARTIAL_NO, (
             ("Does the city have a dig once policy that lays telecommunication ducts whenever a "
             "street is opened?"),
             "道路工事の際に通信用の管路を併せて敷設する「ディグ・ワンス」方針がありますか。",
             ("¿Tiene la ciudad una política de «excavar una sola vez» que instala conductos de "
             "telecomunicaciones cada vez que se abre una calle?")), simplified=True, weight=2),
         Q("dig_once_maturity", K.MATURITY, (
             "How mature is the coordination of street works between utilities?",
             "事業者間の道路工事の調整はどの程度成熟していますか。",
             ("¿Qué grado de madurez tiene la coordinación de obras en la vía pública entre "
             "empresas de servicios?"))),
         Q("total_cost", K.YES_PARTIAL_NO, (
             ("Does the city assess the total cost of ownership (operation, maintenance, "
             "replacement) before approving a technology project?"),
             "技術関連事業の承認前に、運用・保守・更新を含む総保有コストを評価していますか。",
             ("¿Evalúa la ciudad el coste total de propiedad (operación, mantenimiento, "
             "reposición) antes de aprobar un proyecto tecnológico?")), simplified=True),
         Q("maintenance_budget", K.YES_PARTIAL_NO, (
             ("Does the budget set aside funds to operate and maintain digital infrastructure "
             "after it is deployed?"),
             "導入後のデジタル基盤の運用・保守のための予算を確保していますか。",
             ("¿Reserva el presupuesto fondos para operar y mantener la infraestructura digital "
             "después de implantarla?"))),
         Q("asset_register", K.YES_PARTIAL_NO, (
             ("Does the city keep an up-to-date register of its digital assets and their expected "
             "lifetime?"),
             "デジタル資産とその耐用年数の最新の台帳を管理していますか。",
             ("¿Mantiene la ciudad un inventario actualizado de sus activos digitales y su vida "
             "útil prevista?"))),
         Q("ducts_laid_km", K.NUMBER, (
             "How many kilometres of ducts were laid together with other street works last year?",
             "昨年度、他の道路工事と併せて敷設した管路は何キロメートルですか。",
             ("¿Cuántos kilómetros de conductos se instalaron junto con otras obras el año "
             "pasado?")), required=False),
         Q("sustainability_notes", K.TEXT, (
             "What stands in the way of sustaining the city's digital services?",
             "デジタルサービスを持続させる上での課題は何ですか。",
             "¿Qué dificulta mantener los servicios digitales de la ciudad?"), required=False),
         Q("sustainability_evidence", K.EVIDENCE, (
             "Attach or link to the dig once policy or the asset register.",
             "ディグ・ワンス方針または資産台帳を添付するか、リンクを記入してください。",
             ("Adjunte o enlace la política de «excavar una sola vez» o el inventario de "
             "activos.")), required=False),
     ]),
    ("security", PrincipleKey.SECURITY,
     ("Security and resilience", "セキュリティとレジリエンス", "Seguridad y resiliencia"), [
         Q("security_executive", K.YES_PARTIAL_NO, (
             "Has the city named an executive accountable for cybersecurity?",
             "サイバーセキュリティに責任を負う幹部を任命していますか。",
             "¿Ha designado la ciudad a un directivo responsable de la ciberseguridad?"),
           simplified=True, weight=2),
         Q("security_maturity", K.MATURITY, (
             "How mature is the city's cybersecurity management?",
             "市のサイバーセキュリティ管理はどの程度成熟していますか。",
             "¿Qué grado de madurez tiene la gestión de la ciberseguridad de la ciudad?"),
           simplified=True),
         Q("incident_plan", K.YES_PARTIAL_NO, (
             "Does the city have a tested plan to respond to cyber incidents?",
             "サイバーインシデントに対応するための、訓練済みの計画がありますか。",
             "¿Tiene la ciudad un plan probado de respuesta a ciberincidentes?"), weight=2),
         Q("incident_plan_tested", K.TEXT, (
             "When was the plan last tested, and what changed afterwards?",
             "計画を最後に訓練したのはいつですか。その後何を改善しましたか。",
             "¿Cuándo se probó el plan por última vez y qué cambió después?"),
           required=False, rule=("incident_plan", Condition.NOT_EQUALS, "no")),
         Q("supplier_security", K.YES_PARTIAL_NO, (
             ("Do contracts require suppliers to meet the city's security requirements and report "
             "incidents?"),
             "契約で、事業者に市のセキュリティ要件の遵守とインシデント報告を求めていますか。",
             ("¿Exigen los contratos que los proveedores cumplan los requisitos de seguridad de la "
             "ciudad y notifiquen los incidentes?"))),
         Q("security_training", K.YES_PARTIAL_NO, (
             "Do all staff who use the city's systems receive security training every year?",
             "市のシステムを使うすべての職員が、毎年セキュリティ研修を受けていますか。",
             ("¿Recibe todo el personal que usa los sistemas de la ciudad formación en seguridad "
             "cada año?"))),
         Q("security_incidents", K.NUMBER, (
             "How many security incidents were recorded last year?",
             "昨年度、記録されたセキュリティインシデントは何件ですか。",
             "¿Cuántos incidentes de seguridad se registraron el año pasado?"), required=False),
         Q("security_evidence", K.EVIDENCE, (
             "Attach or link to the incident response plan or the security policy.",
             "インシデント対応計画またはセキュリティ方針を添付するか、リンクを記入してください。",
             "Adjunte o enlace el plan de respuesta a incidentes o la política de seguridad."),
           required=False),
     ]),
    ("equity", PrincipleKey.EQUITY,
     ("Equity, inclusivity and social impact", "公平性・包摂性と社会的影響",
      "Equidad, inclusión e impacto social"), [
         Q("accessibility_standard", K.YES_PARTIAL_NO, (
             ("Does the city require new digital services and websites to meet an accessibility "
             "standard such as WCAG 2.1 AA?"),
             ("新しいデジタルサービスやウェブサイトに、WCAG 2.1 AA などのアクセシビリティ基準への"
             "適合を求めていますか。"),
             ("¿Exige la ciudad que los nuevos servicios digitales y sitios web cumplan un "
              "estándar de accesibilidad como WCAG 2.1 AA?")), simplified=True, weight=2),
         Q("accessibility_maturity", K.MATURITY, (
             "How mature is the city's practice of accessibility testing?",
             "アクセシビリティの検証の取り組みはどの程度成熟していますか。",
             "¿Qué grado de madurez tienen las pruebas de accesibilidad de la ciudad?")),
         Q("offline_alternative", K.YES_PARTIAL_NO, (
             ("Can residents obtain every digital public service through a non-digital channel as "
             "well?"),
             "すべてのデジタル行政サービスを、デジタル以外の窓口でも受けられますか。",
             ("¿Pueden los residentes obtener todos los servicios públicos digitales también por "
             "un canal no digital?")), simplified=True),
         Q("digital_inclusion", K.YES_PARTIAL_NO, (
             "Does the city run programmes that help residents without digital skills or access?",
             "デジタルの技能や環境を持たない住民を支援する取り組みを行っていますか。",
             ("¿Tiene la ciudad programas que ayuden a los residentes sin competencias o acceso "
             "digitales?"))),
         Q("social_impact", K.YES_PARTIAL_NO, (
             ("Does the city assess a technology's impact on different groups of residents before "
             "deploying it?"),
             "技術を導入する前に、さまざまな住民層への影響を評価していますか。",
             ("¿Evalúa la ciudad el impacto de una tecnología en los distintos grupos de "
             "residentes antes de implantarla?"))),
         Q("service_languages", K.NUMBER, (
             "In how many languages are the city's main digital services available?",
             "主なデジタルサービスは何言語で提供されていますか。",
             ("¿En cuántos idiomas están disponibles los principales servicios digitales de la "
             "ciudad?")), required=False),
         Q("inclusion_notes", K.TEXT, (
             "Which groups of residents are hardest to reach with digital services, and why?",
             "デジタルサービスが最も届きにくい住民層はどこですか。その理由は何ですか。",
             ("¿Qué grupos de residentes son los más difíciles de alcanzar con servicios "
             "digitales, y por qué?")), required=False),
         Q("equity_evidence", K.EVIDENCE, (
             "Attach or link to the accessibility policy or a recent accessibility audit.",
             "アクセシビリティ方針または最近のアクセシビリティ監査を添付するか、リンクを記入してください。",
             ("Adjunte o enlace la política de accesibilidad o una auditoría de accesibilidad "
             "reciente.")), required=False),
     ]),
]


def starter_policies(actor=None) -> dict[str, ModelPolicy]:
    """The baseline model policies, adopted, by principle key (created once)."""
    principles = {p.key: p for p in Principle.objects.all()}
    policies = {}
    for key, (title, summary, reference, url) in POLICIES.items():
        policy, created = ModelPolicy.objects.get_or_create(title=title, defaults={
            "summary": summary, "reference_title": reference, "reference_url": url,
            "status": ModelPolicy.Status.ADOPTED, "has_geographical_representation": True,
            "is_proven_model": True, "is_consistent_with_roadmap": True, "created_by": actor})
        if created:
            policy.principles.add(principles[key])
        policies[key] = policy
    return policies


@transaction.atomic
def build_starter(actor=None) -> QuestionnaireVersion:
    """The starter questionnaire's published version 1 (created once)."""
    questionnaire, _ = Questionnaire.objects.get_or_create(name=NAME, defaults={
        "description": "The annual assessment of each member city's technology governance "
                       "against the five principles of the Policy Roadmap."})
    existing = questionnaire.versions.filter(number=1).first()
    if existing:
        return existing
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=1, state=QuestionnaireVersion.State.PUBLISHED,
        created_by=actor, published_by=actor, published_at=timezone.now())
    principles = {p.key: p for p in Principle.objects.all()}
    policies = starter_policies(actor)
    by_name: dict[str, Question] = {}
    for position, (name, key, (title, title_ja, title_es), questions) in enumerate(SECTIONS):
        section = Section.objects.create(
            version=version, position=position, name=name, title=title,
            translations={"ja": {"title": title_ja}, "es": {"title": title_es}},
            principle=principles[key], model_policy=policies[key])
        for index, q in enumerate(questions):
            english, japanese, spanish = q.text
            earlier, operator, value = q.rule or (None, "", "")
            by_name[q.name] = Question.objects.create(
                section=section, position=index, name=q.name, kind=q.kind, text=english,
                translations={"ja": {"text": japanese}, "es": {"text": spanish}},
                weight=q.weight, required=q.required, in_simplified=q.simplified,
                shown_if=by_name[earlier] if earlier else None, operator=operator, value=value)
    return version
