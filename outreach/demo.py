"""Demo outreach: per region, a letter template of every kind in the region's language, its
partner networks, and one drafted inquiry. Safe to run again: nothing is duplicated.

Call inside the region's scope: `seed(region, sender)` with a Regional Secretariat user."""

from cities.models import City, PartnerNetwork, Stage

from .models import Letter, LetterKind, LetterTemplate
from .services import letters

K = LetterKind
# name, kind, subject, body, character limit: per language.
TEMPLATES = {
    "ja": [
        ("問い合わせ（ウェブフォーム）", K.INQUIRY,
         "スマートシティ・アライアンス（{{ region }}）へのご参加について",
         ("{{ city }} スマートシティご担当者様\n\n"
         "突然のご連絡失礼いたします。スマートシティ・アライアンス（{{ region }}）事務局の"
         "{{ sender }}と申します。\n\n"
         "当アライアンスは、世界経済フォーラム第四次産業革命センターが推進する、"
         "スマートシティのテクノロジー・ガバナンスに取り組む自治体のネットワークです。"
         "プライバシー、セキュリティ、相互運用性などのモデル政策を参加都市とともに実装し、"
         "知見を共有しています。\n\n"
         "{{ city }}の取り組みについてお話を伺い、アライアンスの概要をご説明する機会を"
         "いただけませんでしょうか（オンラインで1時間程度）。\n\n"
         "ご検討のほど、よろしくお願い申し上げます。\n\n{{ sender }}"), 800),
        ("正式招待状", K.INVITATION,
         "スマートシティ・アライアンス（{{ region }}）へのご招待",
         ("{{ contact }} 様\n\n"
         "このたびは、スマートシティ・アライアンス（{{ region }}）へのご関心をお寄せいただき、"
         "誠にありがとうございます。\n\n"
         "{{ city }}を当アライアンスの参加都市として正式にご招待申し上げます。"
         "参加都市は、定例会合やワークショップを通じてモデル政策の実装に取り組み、"
         "国内外の都市と知見を共有します。\n\n"
         "ご参加いただける場合は、本状への返信にてお知らせください。\n\n{{ sender }}"), None),
        ("参加意向書", K.LETTER_OF_INTENT,
         "参加意向書の送付について",
         ("{{ contact }} 様\n\n"
         "先日はお時間をいただき、ありがとうございました。{{ city }}の"
         "スマートシティ・アライアンス（{{ region }}）へのご参加に向けて、参加意向書を"
         "お送りいたします。内容をご確認のうえ、ご署名いただいた写しをご返送ください。\n\n"
         "{{ sender }}"), None),
        ("再送（フォローアップ）", K.FOLLOW_UP,
         "【再送】スマートシティ・アライアンス（{{ region }}）へのご参加について",
         ("{{ contact }} 様\n\n"
         "先日お送りしたご案内について、改めてご連絡いたしました。{{ city }}の取り組みに"
         "ついてお話を伺える機会があれば幸いです。ご不明な点がございましたら、"
         "お気軽にお問い合わせください。\n\n{{ sender }}"), 800),
    ],
    "es": [
        ("Consulta inicial (formulario web)", K.INQUIRY,
         "Participación en la Alianza de Ciudades Inteligentes ({{ region }})",
         ("Estimado/a {{ contact }}:\n\n"
         "Le escribo desde la secretaría de la Alianza de Ciudades Inteligentes ({{ region }}), "
         "una red de ciudades que trabaja en la gobernanza de la tecnología en las ciudades "
         "inteligentes, impulsada por el Centro para la Cuarta Revolución Industrial del Foro "
         "Económico Mundial.\n\n"
         "Nos gustaría conocer los proyectos de {{ city }} y presentarle la Alianza en una "
         "llamada de una hora. ¿Tendría disponibilidad en las próximas semanas?\n\n"
         "Atentamente,\n{{ sender }}"), 1000),
        ("Invitación formal", K.INVITATION,
         "Invitación a la Alianza de Ciudades Inteligentes ({{ region }})",
         ("Estimado/a {{ contact }}:\n\n"
         "Gracias por su interés en la Alianza. Tenemos el honor de invitar formalmente a "
         "{{ city }} a participar como ciudad miembro. Las ciudades miembro implementan "
         "políticas modelo en privacidad, ciberseguridad e interoperabilidad, y comparten sus "
         "aprendizajes en reuniones mensuales.\n\n"
         "Le agradeceremos confirmar su participación respondiendo a esta carta.\n\n"
         "Atentamente,\n{{ sender }}"), None),
        ("Carta de intención", K.LETTER_OF_INTENT,
         "Carta de intención: {{ city }}",
         ("Estimado/a {{ contact }}:\n\n"
         "Adjuntamos la carta de intención para la participación de {{ city }} en la Alianza "
         "de Ciudades Inteligentes ({{ region }}). Le rogamos revisarla y devolvernos una "
         "copia firmada.\n\nAtentamente,\n{{ sender }}"), None),
        ("Seguimiento", K.FOLLOW_UP,
         "Seguimiento: participación en la Alianza ({{ region }})",
         ("Estimado/a {{ contact }}:\n\n"
         "Le escribimos de nuevo sobre nuestra invitación anterior. Nos encantaría conocer "
         "el interés de {{ city }} en la Alianza y resolver cualquier duda.\n\n"
         "Atentamente,\n{{ sender }}"), 1000),
    ],
    "en": [
        ("Inquiry (web form)", K.INQUIRY,
         "Joining the {{ region }} Smart Cities Alliance",
         ("Dear {{ contact }},\n\n"
         "I am writing from the secretariat of the {{ region }} Smart Cities Alliance, a "
         "network of cities working on the governance of technology in smart cities, convened "
         "by the World Economic Forum's Centre for the Fourth Industrial Revolution.\n\n"
         "We would like to learn about {{ city }}'s smart city work and introduce the Alliance "
         "in a one-hour call. Would you have time in the coming weeks?\n\n"
         "Kind regards,\n{{ sender }}"), 1000),
        ("Formal invitation", K.INVITATION,
         "Invitation to the {{ region }} Smart Cities Alliance",
         ("Dear {{ contact }},\n\n"
         "Thank you for your interest in the Alliance. We are pleased to formally invite "
         "{{ city }} to join as a member city. Member cities implement model policies on "
         "privacy, cybersecurity and interoperability, and share what they learn at regular "
         "meetings.\n\nPlease confirm your participation by replying to this letter.\n\n"
         "Kind regards,\n{{ sender }}"), None),
        ("Letter of intent", K.LETTER_OF_INTENT,
         "Letter of intent: {{ city }}",
         ("Dear {{ contact }},\n\n"
         "Please find the letter of intent for {{ city }}'s participation in the {{ region }} "
         "Smart Cities Alliance. We would be grateful if you could review it and return a "
         "signed copy.\n\nKind regards,\n{{ sender }}"), None),
        ("Follow-up", K.FOLLOW_UP,
         "Following up: joining the {{ region }} Smart Cities Alliance",
         ("Dear {{ contact }},\n\n"
         "I am following up on our earlier message. We would be glad to hear whether "
         "{{ city }} is interested in the Alliance, and to answer any questions.\n\n"
         "Kind regards,\n{{ sender }}"), 1000),
    ],
}

# Real networks that help reach cities in each demo region: name, kind.
NETWORKS = {
    "japan": [("全国市長会 (Japan Association of City Mayors)", PartnerNetwork.Kind.CITY_NETWORK),
              ("ICLEI Japan", PartnerNetwork.Kind.CITY_NETWORK)],
    "india": [("National Institute of Urban Affairs (NIUA)",
               PartnerNetwork.Kind.INSTITUTIONAL),
              ("ICLEI South Asia", PartnerNetwork.Kind.CITY_NETWORK)],
    "latin-america": [("Mercociudades", PartnerNetwork.Kind.CITY_NETWORK),
                      ("Unión de Ciudades Capitales Iberoamericanas (UCCI)",
                       PartnerNetwork.Kind.CITY_NETWORK)],
}


def seed(region, sender) -> None:
    language = region.default_language
    for name, kind, subject, body, char_limit in TEMPLATES.get(language, TEMPLATES["en"]):
        LetterTemplate.objects.get_or_create(region=region, name=name, defaults={
            "kind": kind, "language": language, "subject": subject, "body": body,
            "char_limit": char_limit})
    for name, kind in NETWORKS.get(region.slug, []):
        PartnerNetwork.objects.get_or_create(region=region, name=name, defaults={"kind": kind})
    if not Letter.objects.filter(region=region).exists():
        _draft_an_inquiry(region, sender)


def _draft_an_inquiry(region, sender) -> None:
    city = City.objects.filter(region=region, stage=Stage.SHORT_LIST).order_by("name").first()
    template = LetterTemplate.objects.filter(region=region, kind=K.INQUIRY).first()
    if city is None or template is None:
        return
    letters.draft_letter(actor=sender, city=city, template=template,
                         contact=city.contacts.filter(is_key=True).first())
