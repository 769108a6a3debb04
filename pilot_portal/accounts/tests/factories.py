import factory

from pilot_portal.accounts.models import Role, User

TEST_PASSWORD = "matkhau-thu-nghiem"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    first_name = factory.Faker("name", locale="vi_VN")
    email = factory.LazyAttribute(lambda u: f"{u.username}@pilot.test")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    class Params:
        province_staff = factory.Trait(role=Role.PROVINCE_STAFF)
        unit_official = factory.Trait(role=Role.UNIT_OFFICIAL)
        ward_clerk = factory.Trait(role=Role.WARD_CLERK)
        national_viewer = factory.Trait(role=Role.NATIONAL_VIEWER)
        delegate = factory.Trait(role=Role.DELEGATE)
        superuser = factory.Trait(is_superuser=True, is_staff=True)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
