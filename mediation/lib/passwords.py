"""Django's password validators with the product's own Chinese messages.

Django's zh_Hans catalog lags its English source (the too-short message came out in English),
so the messages users see are ours, translated to English like every other string.
"""

from __future__ import annotations

from django.contrib.auth import password_validation as django
from django.utils.translation import gettext as _


class MinimumLengthValidator(django.MinimumLengthValidator):
    def get_error_message(self):
        return _("密码太短：至少需要%(n)d个字符。") % {"n": self.min_length}

    def get_help_text(self):
        return _("密码至少%(n)d个字符。") % {"n": self.min_length}


class NumericPasswordValidator(django.NumericPasswordValidator):
    def get_error_message(self):
        return _("密码不能全是数字：请加入字母或符号。")

    def get_help_text(self):
        return _("密码不能全是数字。")


class CommonPasswordValidator(django.CommonPasswordValidator):
    def get_error_message(self):
        return _("这个密码过于常见，容易被猜中，请换一个。")

    def get_help_text(self):
        return _("密码不能是常见密码。")


class UserAttributeSimilarityValidator(django.UserAttributeSimilarityValidator):
    def get_error_message(self):
        # Django fills %(verbose_name)s with the field's name (用户名, 名字…).
        return _("密码与您的%(verbose_name)s过于相似，请换一个。")

    def get_help_text(self):
        return _("密码不能与用户名、姓名等个人信息相似。")
